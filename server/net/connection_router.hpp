#pragma once
// What happens to an accepted connection before it has a session: first-bytes detection (with
// a deadline), the TLS handshake when the bytes are a ClientHello (then detection again on the
// decrypted bytes), and the hand-over to the session that serves the detected protocol.

#include <chrono>
#include <memory>
#include <string>

#include "server/net/detect.hpp"
#include "server/net/router_config.hpp"
#include "server/net/socket.hpp"

namespace blynk::net {

/// Starts routing an accepted socket. `port` says what may arrive (Plain: http.port,
/// TlsPort: https.port).
void route_connection(const RouterConfig& config, Socket socket, Layer port);

}  // namespace blynk::net
