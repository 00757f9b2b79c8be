// The HTTP request path up to the REST API's token lookup: Beast's request parser on the bytes
// (with the session's header and body limits), the WebSocket upgrade checks, the log redaction,
// and the API's target decoding, route matching, parameter and JSON body parsing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "server/http/api_request.hpp"
#include "server/http/url.hpp"
#include "server/model/pin.hpp"
#include "server/net/router_config.hpp"

namespace {

namespace beast_http = boost::beast::http;

// http_session.hpp's header limit; the body limit is web.request.max.size's default.
constexpr uint32_t kMaxHeader = 8192;

void request(const beast_http::request<beast_http::string_body>& req) {
    using namespace blynk::http;
    const std::string target(req.target());
    (void)is_hardware_websocket_path(target);
    (void)is_dashboard_websocket_path(target);
    (void)boost::beast::websocket::is_upgrade(req);
    (void)redact_target(target);
    const ApiRequest api_req{std::string(req.method_string()), target,
                             std::string(req[beast_http::field::content_type]), req.body()};
    auto parsed = parse_api_call(api_req);
    if (auto* call = std::get_if<ApiCall>(&parsed))
        (void)blynk::model::parse_pin_key(call->route.pin);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    // Keep-alive: the bytes may hold several requests, each parsed where the last one ended; the
    // end of the input is the client closing the connection.
    size_t offset = 0;
    while (offset < bytes.size()) {
        beast_http::request_parser<beast_http::string_body> parser;
        parser.header_limit(kMaxHeader);
        parser.body_limit(blynk::net::HttpLimits{}.max_body);
        boost::beast::error_code ec;
        while (!parser.is_done()) {
            const size_t used = parser.put(boost::asio::buffer(bytes.substr(offset)), ec);
            offset += used;
            if (ec == beast_http::error::need_more) {  // all there is: the client closed
                parser.put_eof(ec);
                break;
            }
            if (ec || used == 0) break;
        }
        if (ec || !parser.is_done()) break;
        request(parser.get());
    }
    return 0;
}
