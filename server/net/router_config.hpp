#pragma once
// Everything the code between accept() and a session needs: the shared parts of the server it
// hands connections to, and the limits it enforces.

#include <chrono>
#include <cstdint>

#include <boost/asio/io_context.hpp>

#include "server/net/address_limiter.hpp"
#include "server/net/framed_session.hpp"
#include "server/net/tls_context.hpp"

namespace blynk::http {
class Api;
class Console;
class ConsoleApi;
class Health;
class Metrics;
}  // namespace blynk::http

namespace blynk::net {

struct HttpLimits {
    uint32_t max_body = 524288;               ///< web.request.max.size
    std::chrono::seconds header_timeout{10};  ///< http.header.timeout
    std::chrono::seconds body_timeout{30};    ///< http.body.timeout
};

struct RouterConfig {
    boost::asio::io_context& io;
    HardwareServices hardware;
    AppServices app;
    TlsContextHolder& tls;
    AddressLimiter& handshakes;  ///< TLS handshakes in progress per address
    /// Unfinished connections per address: accepted, and neither logged in nor through a first
    /// complete HTTP request (nor closed) yet.
    AddressLimiter& prelogin;
    http::Api& api;
    const http::Console& console;
    http::ConsoleApi& console_api;
    http::Metrics& metrics;
    http::Health& health;
    HttpLimits http;
    std::chrono::seconds detect_timeout{10};     ///< first bytes must arrive by then
    std::chrono::seconds handshake_timeout{10};  ///< TLS handshake must finish by then
};

}  // namespace blynk::net
