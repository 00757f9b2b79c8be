// The WebSocket payload path: Beast's WebSocket frame parsing (a server-side stream, after the
// upgrade, with the session's message size limits) over an in-memory stream, feeding what it
// reads to the frame cutter as the framed session does: on /websockets the hardware byte stream
// (frames may span messages), on /dashws one web-app frame per binary message; text messages are
// dropped. The first byte picks the path, the rest is what the client sends after the upgrade
// (masked WebSocket frames, pings and closes among them); the end of the input closes the socket.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "server/net/session_protocols.hpp"
#include "tests/fuzz/support/frame_cutter.hpp"

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using blynk::proto::DecodeLimits;
using blynk::proto::Layout;

beast::http::request<beast::http::empty_body> upgrade_request(bool hardware) {
    beast::http::request<beast::http::empty_body> req{beast::http::verb::get,
                                                      hardware ? "/websockets" : "/dashws", 11};
    req.set(beast::http::field::host, "localhost");
    req.set(beast::http::field::upgrade, "websocket");
    req.set(beast::http::field::connection, "Upgrade");
    req.set(beast::http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
    req.set(beast::http::field::sec_websocket_version, "13");
    return req;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const bool hardware = (data[0] & 1) == 0;
    const blynk::net::SessionLimits limits;
    const size_t header = blynk::proto::header_size(hardware ? Layout::Hardware : Layout::App);

    boost::asio::io_context io;
    beast::test::stream client(io);
    beast::test::stream server(io);
    server.connect(client);
    websocket::stream<beast::test::stream&> ws(server);
    ws.binary(true);
    // http_session.hpp's limits: a whole hardware frame, or the app's body limit and header.
    ws.read_message_max(hardware ? 65536 + 5 : limits.max_body + header);
    beast::error_code ec;
    ws.accept(upgrade_request(hardware), ec);
    blynk::fuzz::check(!ec, "the upgrade is accepted");

    server.append(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    server.close_remote();  // the client closes after what it sent

    const DecodeLimits decode_limits{hardware ? Layout::Hardware : Layout::WebApp, limits.max_body};
    std::vector<uint8_t> in;
    uint8_t read_space[1024];
    while (true) {
        const size_t n = ws.read_some(boost::asio::buffer(read_space), ec);
        if (ec) break;
        if (ws.got_text()) continue;  // not Blynk: dropped
        in.insert(in.end(), read_space, read_space + n);
        if (hardware) {
            const size_t used = blynk::fuzz::cut_stream(in, decode_limits);
            in.erase(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(used));
        } else if (ws.is_message_done()) {
            blynk::fuzz::cut_message(in, decode_limits);
            in.clear();
        }
    }
    return 0;
}
