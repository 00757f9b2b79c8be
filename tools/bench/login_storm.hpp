#pragma once
// Opens connections and logs devices (or mobile apps) in, `concurrency` at a time on one epoll:
// plain, TLS (optionally resuming saved sessions) or the hardware WebSocket. A connect storm closes
// each connection after its login answer; the idle scenario keeps them.

#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tools/bench/histogram.hpp"

namespace blynk::bench {

struct StormConfig {
    uint16_t port = 0;
    SSL_CTX* tls = nullptr;                            ///< TLS when set
    const std::vector<std::string>* tokens = nullptr;  ///< connection i logs in with i % size
    /// Set: the connections are mobile apps; `tokens` are e-mails, each sent with this password
    /// hash in an app LOGIN (7-byte header) and answered with an app RESPONSE 200.
    std::string app_hash;
    size_t count = 0;  ///< connections to attempt
    size_t concurrency = 64;
    double max_seconds = 10;  ///< no new connection starts after this
    double timeout_s = 15;    ///< per connection
    bool keep_open = false;
    /// false: done once connected (and handshaken), nothing sent: what an accepted socket that
    /// has not spoken yet costs the server.
    bool login = true;
    /// Sessions to resume: connection i offers (*resume)[i % size].
    const std::vector<SSL_SESSION*>* resume = nullptr;
    bool save_sessions = false;
    /// Plain connections upgrade to the hardware WebSocket (ws_client.hpp) and log in inside it.
    bool websocket = false;
};

/// A connection kept open (keep_open): a non-blocking fd and its SSL (nullptr for plain).
struct HeldConn {
    int fd = -1;
    SSL* ssl = nullptr;
    size_t index = 0;  ///< connection number: it logged in with tokens[index % size]
};

struct StormResult {
    size_t attempted = 0;
    size_t ok = 0;
    size_t failed = 0;
    size_t reused = 0;                       ///< TLS sessions resumed (SSL_session_reused)
    double seconds = 0;                      ///< first connect to last login answer
    Histogram handshake;                     ///< connect start → TLS handshake done
    Histogram login;                         ///< connect start → login answer
    std::map<std::string, size_t> failures;  ///< reason → count
    std::vector<HeldConn> held;
    std::vector<SSL_SESSION*> sessions;  ///< save_sessions: owned by the caller
    std::string tls_version, tls_cipher, tls_key;

    double logins_per_s() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
    std::string failure_summary() const;
};

StormResult run_storm(const StormConfig& config);

/// Closes kept connections (RST) and frees their SSL objects.
void close_held(std::vector<HeldConn>& held);

}  // namespace blynk::bench
