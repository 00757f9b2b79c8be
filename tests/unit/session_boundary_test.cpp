// A handler that throws closes its own session, with one error line, and nothing else.

#include <sys/socket.h>
#include <sys/time.h>

#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "common/proto/command.hpp"
#include "server/net/framed_session.hpp"
#include "tests/support/occurrences.hpp"
#include "tests/unit/log_capture.hpp"

namespace blynk::net {
namespace {

struct ProbeConnection {
    ProbeConnection(hub::SessionLink& link, const int&) : link(link) {}
    bool logged_in() const { return true; }
    void on_closed() {}
    hub::SessionLink& link;
};

/// Answers PING; throws on HARDWARE, as a handler with a bug would.
struct ThrowingDispatcher {
    void on_frame(ProbeConnection& conn, const proto::FrameView& frame,
                  std::chrono::steady_clock::time_point) {
        if (frame.command == proto::cmd::kHardware) throw std::out_of_range("basic_string::substr");
        conn.link.send_response(frame.id, 200);
    }
};

struct ProbeProtocol {
    using Connection = ProbeConnection;
    using Dispatcher = ThrowingDispatcher;
    using Options = int;
    using Services = SessionServices<Dispatcher, Options>;
    static constexpr proto::Layout kLayout = proto::Layout::Hardware;
    static constexpr hub::PeerKind kKind = hub::PeerKind::Hardware;
    static constexpr const char* kName = "probe";
    static constexpr uint16_t wire_id(uint16_t id) { return id; }
};

std::string encoded(uint8_t command, uint16_t id, std::string_view body = {}) {
    std::string out;
    proto::encode(out, proto::Layout::Hardware, command, id, body);
    return out;
}

TEST(SessionBoundaryTest, AThrowingHandlerClosesOnlyItsSessionWithOneErrorLine) {
    auto log = std::make_unique<test::LogCapture>("%l %v");

    boost::asio::io_context io;
    Acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    ThrowingDispatcher dispatcher;
    const int options = 0;
    const SessionLimits limits;
    DeadlineWheel deadlines;
    const ProbeProtocol::Services services{dispatcher, options, limits, deadlines};
    // A session that stays open fails the test instead of hanging it.
    const timeval timeout{3, 0};
    auto open_session = [&](boost::asio::ip::tcp::socket& c, const std::string& peer) {
        c.connect(acceptor.local_endpoint());
        ::setsockopt(c.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        std::make_shared<FramedSession<Socket, ProbeProtocol>>(
            acceptor.accept(), boost::asio::make_strand(io), services, peer, "tcp")
            ->start();
    };
    boost::asio::ip::tcp::socket client(io);
    boost::asio::ip::tcp::socket bystander(io);
    open_session(client, "127.0.0.1:1");
    open_session(bystander, "127.0.0.1:2");
    std::thread loop([&io] { io.run(); });
    boost::system::error_code ec;
    boost::asio::write(client, boost::asio::buffer(encoded(proto::cmd::kPing, 1)), ec);
    std::string received(5, '\0');
    boost::asio::read(client, boost::asio::buffer(received), ec);
    boost::asio::write(client,
                       boost::asio::buffer(encoded(proto::cmd::kHardware, 2, "vw") +
                                           encoded(proto::cmd::kPing, 3)),
                       ec);
    char more = 0;
    const size_t after = boost::asio::read(client, boost::asio::buffer(&more, 1), ec);
    const auto closed = ec;
    boost::asio::write(bystander, boost::asio::buffer(encoded(proto::cmd::kPing, 4)), ec);
    std::string bystander_received(5, '\0');
    boost::asio::read(bystander, boost::asio::buffer(bystander_received), ec);
    bystander.close();
    if (closed != boost::asio::error::eof) io.stop();
    loop.join();
    const std::string text = log->text();
    log.reset();

    std::string ok;
    proto::encode_response(ok, proto::Layout::Hardware, 1, 200);
    EXPECT_EQ(received, ok) << "the first PING was answered";
    EXPECT_EQ(after, 0u);
    EXPECT_EQ(closed, boost::asio::error::eof) << "closed, the second PING unanswered";
    std::string bystander_ok;
    proto::encode_response(bystander_ok, proto::Layout::Hardware, 4, 200);
    EXPECT_EQ(bystander_received, bystander_ok) << "the other session still answers";
    EXPECT_EQ(test::occurrences(text, "error disconnect:"), 1u) << text;
    EXPECT_NE(text.find("error disconnect: probe tcp 127.0.0.1:1: internal error while "
                        "handling HARDWARE: basic_string::substr"),
              std::string::npos)
        << text;
}

}  // namespace
}  // namespace blynk::net
