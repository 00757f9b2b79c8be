#pragma once
// What happens to an accepted connection before it has a session: first-bytes detection (with
// a deadline), the TLS handshake when the bytes are a ClientHello (then detection again on the
// decrypted bytes), and the hand-over to the session that serves the detected protocol.

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/hub/dispatcher.hpp"
#include "server/net/detect.hpp"
#include "server/net/handshake_limiter.hpp"
#include "server/net/hardware_session.hpp"
#include "server/net/tls_context.hpp"

namespace blynk::net {

struct RouterConfig {
    boost::asio::io_context& io;
    hub::Dispatcher& dispatcher;
    const hub::HardwareOptions& options;
    const SessionLimits& limits;
    TlsContextHolder& tls;
    HandshakeLimiter& handshakes;
    std::chrono::seconds detect_timeout{10};     ///< first bytes must arrive by then
    std::chrono::seconds handshake_timeout{10};  ///< TLS handshake must finish by then
};

/// Starts routing an accepted socket. `port` says what may arrive (Plain: http.port,
/// TlsPort: https.port).
void route_connection(const RouterConfig& config, boost::asio::ip::tcp::socket socket, Layer port);

}  // namespace blynk::net
