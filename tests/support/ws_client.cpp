#include "tests/support/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <boost/beast/websocket/ssl.hpp>
#include <variant>
#include "tests/support/server_process.hpp"

#include "tests/support/raw_client.hpp"

namespace blynk::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct WsClient::Impl {
    asio::io_context io;
    asio::ssl::context ctx{asio::ssl::context::tls_client};
    std::variant<std::monostate, websocket::stream<tcp::socket>,
                 websocket::stream<asio::ssl::stream<tcp::socket>>>
        ws;
    beast::flat_buffer buffer;
    bool pong = false;
    std::string extensions;  ///< the server's Sec-WebSocket-Extensions answer

    /// Runs the io_context until `done` or the timeout; false on timeout.
    bool run(std::chrono::milliseconds timeout, const bool& done) {
        io.restart();
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done && std::chrono::steady_clock::now() < deadline) {
            io.run_for(std::chrono::milliseconds(10));
            io.restart();
        }
        return done;
    }

    template <class F>
    void visit(F&& f) {
        std::visit(
            [&](auto& s) {
                if constexpr (!std::is_same_v<std::decay_t<decltype(s)>, std::monostate>) f(s);
            },
            ws);
    }
};

WsClient::WsClient(uint16_t port, const Options& options) : impl_(std::make_unique<Impl>()) {
    tcp::socket socket(impl_->io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    socket.set_option(tcp::no_delay(true));
    auto setup = [&](auto& ws) {
        if (options.deflate) {
            websocket::permessage_deflate pmd;
            pmd.client_enable = true;
            ws.set_option(pmd);
        }
        ws.binary(true);
        ws.control_callback([this](websocket::frame_type kind, beast::string_view) {
            if (kind == websocket::frame_type::pong) impl_->pong = true;
        });
        ws.set_option(websocket::stream_base::decorator([&](websocket::request_type& req) {
            if (!options.cookie.empty()) req.set(beast::http::field::cookie, options.cookie);
            if (!options.origin.empty()) req.set(beast::http::field::origin, options.origin);
        }));
        websocket::response_type response;
        ws.handshake(response, "127.0.0.1", options.path);
        impl_->extensions = std::string(response[beast::http::field::sec_websocket_extensions]);
    };
    if (options.ca_file.empty()) {
        auto& ws = impl_->ws.emplace<websocket::stream<tcp::socket>>(std::move(socket));
        setup(ws);
    } else {
        impl_->ctx.load_verify_file(options.ca_file);
        impl_->ctx.set_verify_mode(asio::ssl::verify_peer);
        auto& ws = impl_->ws.emplace<websocket::stream<asio::ssl::stream<tcp::socket>>>(
            std::move(socket), impl_->ctx);
        SSL_set_tlsext_host_name(ws.next_layer().native_handle(), "localhost");
        ws.next_layer().set_verify_callback(asio::ssl::host_name_verification("localhost"));
        ws.next_layer().handshake(asio::ssl::stream_base::client);
        setup(ws);
    }
}

const std::string& WsClient::extensions() const {
    return impl_->extensions;
}

WsClient::~WsClient() {
    impl_->visit([](auto& ws) {
        beast::error_code ignored;
        beast::get_lowest_layer(ws).close(ignored);
    });
}

void WsClient::send(const std::string& bytes) {
    impl_->visit([&](auto& ws) {
        ws.binary(true);
        ws.write(asio::buffer(bytes));
    });
}

void WsClient::send_text(const std::string& text) {
    impl_->visit([&](auto& ws) {
        ws.text(true);
        ws.write(asio::buffer(text));
        ws.binary(true);
    });
}

std::string WsClient::read(std::chrono::milliseconds timeout, bool* closed) {
    bool done = false;
    beast::error_code result;
    impl_->buffer.clear();
    bool binary = true;
    impl_->visit([&](auto& ws) {
        ws.async_read(impl_->buffer, [&](beast::error_code ec, size_t) {
            result = ec;
            done = true;
        });
        if (!impl_->run(patient(timeout), done)) {
            beast::get_lowest_layer(ws).cancel();
            impl_->run(std::chrono::seconds(1), done);
            result = asio::error::timed_out;
        }
        binary = ws.got_binary();
    });
    if (closed) *closed = result && result != asio::error::timed_out;
    if (result) return {};
    (void)binary;
    return beast::buffers_to_string(impl_->buffer.data());
}

::testing::AssertionResult WsClient::expect_message(const std::string& expected,
                                                    std::chrono::milliseconds timeout) {
    bool closed = false;
    std::string got = read(timeout, &closed);
    if (got == expected) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "\n  expected: " << hex(expected) << "\n  received: " << hex(got)
           << (closed        ? " (closed)"
               : got.empty() ? " (timed out)"
                             : "");
}

::testing::AssertionResult WsClient::expect_closed(std::chrono::milliseconds timeout) {
    bool closed = false;
    std::string got = read(timeout, &closed);
    if (closed && got.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << (closed ? "closed after sending " + hex(got) : "still open; received " + hex(got));
}

bool WsClient::ping_pong(std::chrono::milliseconds timeout) {
    impl_->pong = false;
    bool done = false;
    impl_->visit([&](auto& ws) {
        ws.ping({});
        // The pong is seen by the control callback while a read is in progress.
        ws.async_read(impl_->buffer, [&](beast::error_code, size_t) { done = true; });
        auto deadline = std::chrono::steady_clock::now() + patient(timeout);
        while (!impl_->pong && !done && std::chrono::steady_clock::now() < deadline) {
            impl_->io.restart();
            impl_->io.run_for(std::chrono::milliseconds(10));
        }
        beast::get_lowest_layer(ws).cancel();
        impl_->run(std::chrono::seconds(1), done);
    });
    return impl_->pong;
}

}  // namespace blynk::test
