#pragma once
// One HTTP connection (plain or TLS, after detection): keep-alive, one request at a time (so
// pipelined requests are answered in order), size limits, header and body deadlines, CORS, the
// web console's files, the REST API, and the WebSocket upgrades: /websockets (and /websocket) to a
// hardware session, /dashws to an app session (the browser dashboards). An exception escaping a
// request's handler is answered 500 and closes this connection only.

#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "server/http/api.hpp"
#include "server/http/console.hpp"
#include "server/http/console_api.hpp"
#include "server/http/health.hpp"
#include "server/http/metrics.hpp"
#include "server/http/url.hpp"
#include "server/hub/traffic.hpp"
#include "server/net/framed_session.hpp"
#include "server/net/live_connections.hpp"
#include "server/net/router_config.hpp"

namespace blynk::http {

namespace beast_http = boost::beast::http;
namespace websocket = boost::beast::websocket;

template <class Stream>
class HttpSession final : public std::enable_shared_from_this<HttpSession<Stream>>,
                          private net::LiveConnections::Member {
public:
    HttpSession(const net::RouterConfig& config, Stream stream, hub::UserExecutor strand,
                std::string peer, const char* transport, std::string_view already_read)
        : config_(config),
          stream_(std::move(stream)),
          strand_(std::move(strand)),
          timer_(config.io),
          peer_(std::move(peer)),
          transport_(transport),
          counted_(hub::Traffic::Http, hub::transport_of(transport)) {
        if (!already_read.empty()) {  // memcpy from a null view is undefined even for 0 bytes
            auto space = buffer_.prepare(already_read.size());
            std::memcpy(space.data(), already_read.data(), already_read.size());
            buffer_.commit(already_read.size());
        }
    }

    /// `prelogin`: the connection's place in the per-address cap on unfinished connections,
    /// held until the first request has arrived whole (a WebSocket upgrade hands it on to its
    /// session, which holds it until the login).
    void start(net::AddressLimiter::Slot prelogin = {}) {
        prelogin_ = std::move(prelogin);
        this->join_live_connections(this->shared_from_this());
        boost::asio::dispatch(strand_, [self = this->shared_from_this()] { self->read_header(); });
    }

private:
    using Request = beast_http::request<beast_http::string_body>;
    using Response = beast_http::response<beast_http::string_body>;
    static constexpr uint32_t kMaxHeader = 8192;

    void arm(std::chrono::seconds timeout, const char* what) {
        timer_.expires_after(timeout);
        timer_.async_wait(boost::asio::bind_executor(
            strand_, [self = this->shared_from_this(), gen = ++timer_gen_, what,
                      timeout](boost::system::error_code ec) {
                if (ec || gen != self->timer_gen_) return;
                spdlog::info("http {} {}: {} within {} s; closing", self->transport_, self->peer_,
                             what, timeout.count());
                self->close();
            }));
    }

    void disarm() {
        ++timer_gen_;
        timer_.cancel();
    }

    void read_header() {
        parser_.emplace();
        parser_->header_limit(kMaxHeader);
        parser_->body_limit(config_.http.max_body);
        arm(config_.http.header_timeout, "request header not received");
        beast_http::async_read_header(
            stream_, buffer_, *parser_,
            boost::asio::bind_executor(
                strand_, [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                    self->on_header(ec);
                }));
    }

    void on_header(boost::system::error_code ec) {
        if (ec) return on_read_error(ec);
        const auto& req = parser_->get();
        if (websocket::is_upgrade(req)) {
            const bool hardware = is_hardware_websocket_path(req.target());
            if (hardware || is_dashboard_websocket_path(req.target())) {
                disarm();
                // A console page's upgrade carries its cookie: the session starts signed in.
                std::string web_user =
                    hardware ? std::string()
                             : config_.console_api.websocket_user(
                                   req[beast_http::field::cookie], req[beast_http::field::origin],
                                   req[beast_http::field::host], is_tls());
                return upgrade(parser_->release(), hardware, std::move(web_user));
            }
        }
        if (parser_->is_done()) return on_request({});
        arm(config_.http.body_timeout, "request body not received");
        beast_http::async_read(
            stream_, buffer_, *parser_,
            boost::asio::bind_executor(
                strand_, [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                    self->on_request(ec);
                }));
    }

    void on_read_error(boost::system::error_code ec) {
        disarm();
        if (ec == beast_http::error::end_of_stream || ec == boost::asio::error::eof ||
            ec == boost::asio::error::operation_aborted ||
            ec == boost::asio::error::bad_descriptor ||
            ec == boost::asio::ssl::error::stream_truncated) {
            return close();  // the client went away, or the deadline closed the socket
        }
        unsigned status = 400;
        std::string text = "Bad request: " + ec.message();
        if (ec == beast_http::error::header_limit) {
            status = 431;
            text = "Request header fields too large.";
        } else if (ec == beast_http::error::body_limit) {
            status = 413;
            text = "Request body larger than " + std::to_string(config_.http.max_body) + " bytes.";
        }
        spdlog::info("http {} {}: {} ({}); closing", transport_, peer_, status, ec.message());
        keep_alive_request_ = false;
        write_response(ApiResponse{status, "text/plain;charset=utf-8", text + "\n"}, false);
    }

    void on_request(boost::system::error_code ec) {
        if (ec) return on_read_error(ec);
        disarm();
        prelogin_.release();
        try {
            serve();
        } catch (const std::exception& e) {
            spdlog::error("http {} {} {} {}: internal error: {}; answered 500 and closing",
                          transport_, peer_, method_, redact_target(target_), e.what());
            keep_alive_request_ = false;
            write_response(ApiResponse{500, "text/plain;charset=utf-8", "Internal error.\n"},
                           false);
        }
    }

    void serve() {
        hub::count_http_request();
        Request req = parser_->release();
        keep_alive_request_ = req.keep_alive();
        head_ = req.method() == beast_http::verb::head;
        method_ = std::string(req.method_string());
        target_ = std::string(req.target());
        const std::string_view path = std::string_view(target_).substr(0, target_.find('?'));
        if (ConsoleApi::handles(path)) return console_api_request(std::move(req), path);
        if (Health::handles(path)) return config_.health.handle(method_, path, answer_later());
        if (Metrics::handles(path)) {
            return config_.metrics.handle(
                MetricsRequest{method_, peer_address(), req[beast_http::field::cookie]},
                answer_later());
        }
        if (req.method() == beast_http::verb::options) {
            return write_response(ApiResponse{204, "", ""}, true);
        }
        const ConsoleRequest console_req{req.method_string(),
                                         req.target(),
                                         req[beast_http::field::host],
                                         req[beast_http::field::accept_encoding],
                                         req[beast_http::field::if_none_match],
                                         is_tls()};
        if (auto page = config_.console.serve(console_req)) {
            return write_response(std::move(*page), false);
        }
        ApiRequest api_req{method_, target_, std::string(req[beast_http::field::content_type]),
                           std::move(req.body())};
        config_.api.handle(api_req, answer_later());
    }

    /// A `done` for answers made elsewhere (another strand, another thread): the response is
    /// written on this session's strand.
    std::function<void(ApiResponse)> answer_later() {
        return [self = this->shared_from_this()](ApiResponse r) {
            boost::asio::post(self->strand_, [self, r = std::move(r)]() mutable {
                self->write_response(std::move(r), false);
            });
        };
    }

    void console_api_request(Request req, std::string_view path) {
        const size_t question = target_.find('?');
        ConsoleApiRequest api_req{
            method_,
            std::string(path),
            question == std::string::npos ? std::string() : target_.substr(question + 1),
            std::string(req[beast_http::field::content_type]),
            std::move(req.body()),
            std::string(req[beast_http::field::cookie]),
            std::string(req["X-CSRF-Token"]),
            std::string(req[beast_http::field::origin]),
            std::string(req[beast_http::field::host]),
            peer_address(),
            is_tls()};
        config_.console_api.handle(std::move(api_req), answer_later());
    }

    bool is_tls() const { return std::string_view(transport_) == "tls"; }
    /// The client's address without the port (the login limits count per address); peer_ is
    /// "address:port", as for framed sessions.
    std::string peer_address() const { return peer_.substr(0, peer_.rfind(':')); }

    void write_response(ApiResponse r, bool preflight) {
        response_.emplace();
        Response& res = *response_;
        res.version(11);
        res.result(r.status);
        res.set(beast_http::field::server, "blynkd");
        if (r.any_origin) res.set(beast_http::field::access_control_allow_origin, "*");
        for (auto& [name, value] : r.headers)
            res.set(name, value);
        if (preflight) {
            res.set(beast_http::field::access_control_allow_methods,
                    "GET, PUT, POST, OPTIONS, HEAD");
            res.set(beast_http::field::access_control_allow_headers, "Content-Type");
            res.set(beast_http::field::access_control_max_age, "86400");
        }
        if (!r.content_type.empty()) res.set(beast_http::field::content_type, r.content_type);
        res.body() = std::move(r.body);
        res.prepare_payload();
        if (head_) res.body().clear();  // Content-Length stays that of the GET answer
        res.keep_alive(keep_alive_request_);
        spdlog::debug("http {} {} {} {} -> {}", transport_, peer_, method_, redact_target(target_),
                      r.status);
        // A client that stops reading would otherwise hold the connection for good.
        arm(config_.http.body_timeout, "response not taken by the client");
        beast_http::async_write(
            stream_, res,
            boost::asio::bind_executor(
                strand_, [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                    self->disarm();
                    if (ec || !self->keep_alive_request_) return self->close();
                    self->read_header();
                }));
    }

    void upgrade(Request req, bool hardware, std::string web_user) {
        // permessage-deflate stays off, so an offer of it is declined (RFC 7692 lets the server
        // do so): Blynk frames are a few bytes, and the compressor's state would cost about
        // 120 KB per connection. The Node-RED client's `ws` library offers it by default.
        ws_.emplace(std::move(stream_));
        ws_->binary(true);
        ws_->read_message_max(hardware ? 65536 + 5
                                       : config_.app.limits.max_body +
                                             proto::header_size(proto::Layout::App));
        auto timeouts = websocket::stream_base::timeout::suggested(boost::beast::role_type::server);
        timeouts.idle_timeout = websocket::stream_base::none();  // the session's own idle rule
        ws_->set_option(timeouts);
        ws_->set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(beast_http::field::server, "blynkd"); }));
        upgrade_request_ = std::move(req);
        ws_->async_accept(
            upgrade_request_,
            boost::asio::bind_executor(
                strand_, [self = this->shared_from_this(), hardware,
                          web_user = std::move(web_user)](boost::system::error_code ec) mutable {
                    self->on_upgraded(ec, hardware, std::move(web_user));
                }));
    }

    void on_upgraded(boost::system::error_code ec, bool hardware, std::string web_user) {
        const char* ws_transport = std::string_view(transport_) == "tls" ? "wss" : "ws";
        if (ec) {
            spdlog::info("{} {}: WebSocket handshake failed: {}", ws_transport, peer_,
                         ec.message());
            boost::system::error_code ignored;
            boost::beast::get_lowest_layer(*ws_).close(ignored);
            return;
        }
        using WsStream = websocket::stream<Stream>;
        // An upgrade is not a login: the session keeps the connection's place among the
        // unfinished ones until it logs in (a console page's cookie has signed it in already).
        if (hardware) {
            std::make_shared<net::FramedSession<WsStream, net::HardwareProtocol>>(
                std::move(*ws_), strand_, config_.hardware, peer_, ws_transport)
                ->start({}, std::move(prelogin_));
        } else {
            auto session = std::make_shared<net::FramedSession<WsStream, net::DashwsProtocol>>(
                std::move(*ws_), strand_, config_.app, peer_, ws_transport);
            const bool signed_in = !web_user.empty();
            session->connection().web_user = std::move(web_user);
            session->start({}, signed_in ? net::AddressLimiter::Slot{} : std::move(prelogin_));
        }
    }

    net::LiveConnections::Stage close_for_shutdown() override {
        close();
        return net::LiveConnections::Stage::Http;
    }

    void close() {
        disarm();
        boost::system::error_code ignored;
        auto& socket =
            ws_ ? boost::beast::get_lowest_layer(*ws_) : boost::beast::get_lowest_layer(stream_);
        socket.shutdown(net::Socket::shutdown_both, ignored);
        socket.close(ignored);
    }

    const net::RouterConfig& config_;
    Stream stream_;
    hub::UserExecutor strand_;
    boost::asio::steady_timer timer_;
    uint64_t timer_gen_ = 0;
    std::string peer_;
    const char* transport_;
    hub::CountedConnection counted_;
    boost::beast::flat_buffer buffer_;
    std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
    std::optional<Response> response_;
    bool keep_alive_request_ = true;
    bool head_ = false;
    std::string method_;
    std::string target_;
    std::optional<websocket::stream<Stream>> ws_;
    Request upgrade_request_;
    net::AddressLimiter::Slot prelogin_;
};

}  // namespace blynk::http
