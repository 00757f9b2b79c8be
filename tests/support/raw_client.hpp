#pragma once
// A blocking raw-socket Blynk client for integration tests. Every expectation compares exact
// bytes and reports a hex diff on mismatch.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "common/proto/codec.hpp"
#include "tests/support/server_process.hpp"

namespace blynk::test {

using namespace std::chrono_literals;

/// Bytes of one frame / response (hardware layout unless told), built with the project's codec.
std::string frame(uint8_t command, uint16_t id, std::string_view body = {},
                  proto::Layout layout = proto::Layout::Hardware);
std::string response(uint16_t id, uint32_t status, proto::Layout layout = proto::Layout::Hardware);
/// NUL-joined body: body({"vw", "1", "x"}) == "vw\01\0x".
std::string body(std::initializer_list<std::string_view> fields);
/// "00 00 01 00 c8".
std::string hex(std::string_view bytes);

struct TlsOptions {
    std::string ca_file;  ///< trust this certificate (PEM); empty = no verification
    std::string server_name = "localhost";  ///< SNI and the name verified
    bool trickle = false;            ///< send the handshake one byte per write (detection tests)
    void* resume_session = nullptr;  ///< an SSL_SESSION* from session() to resume
};

class RawClient {
public:
    /// Connects to 127.0.0.1 from `source_address` (another loopback address, such as
    /// 127.0.0.2, for per-address limits) or, when empty, from what the kernel picks.
    explicit RawClient(uint16_t port, const std::string& source_address = {});
    /// Connects and completes a TLS handshake (throws when it fails).
    RawClient(uint16_t port, const TlsOptions& tls);
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    void send(std::string_view bytes);
    /// TLS only: each of `records` in a TLS record of its own, all handed to the socket together
    /// (so that the server finds several records in one read).
    void send_records(const std::vector<std::string>& records);
    /// TLS only: `bytes`, then close_notify, in one go; the TCP connection stays open.
    void send_then_close_notify(std::string_view bytes);
    void send_frame(uint8_t command, uint16_t id, std::string_view body = {}) {
        send(frame(command, id, body));
    }
    /// Login with cmd 29, id 1; expects 200.
    void login(const std::string& token);

    /// Reads exactly `expected.size()` bytes within `timeout` and compares them.
    ::testing::AssertionResult expect(std::string_view expected,
                                      std::chrono::milliseconds timeout = 3s);
    ::testing::AssertionResult expect_response(uint16_t id, uint16_t status,
                                               std::chrono::milliseconds timeout = 3s) {
        return expect(response(id, status), timeout);
    }
    ::testing::AssertionResult expect_frame(uint8_t command, uint16_t id, std::string_view body,
                                            std::chrono::milliseconds timeout = 3s) {
        return expect(frame(command, id, body), timeout);
    }
    /// The server closes the connection within `timeout` without sending anything more.
    ::testing::AssertionResult expect_closed(std::chrono::milliseconds timeout = 3s);
    /// Nothing arrives for `duration` (and the connection stays open).
    ::testing::AssertionResult expect_silence(std::chrono::milliseconds duration = 300ms);
    /// Reads until `delim` has arrived (returned with it), or what came before the timeout.
    std::string read_until(std::string_view delim, std::chrono::milliseconds timeout = 3s);
    /// Reads `n` bytes, or what came before the timeout / EOF.
    std::string read_bytes(size_t n, std::chrono::milliseconds timeout = 3s) {
        bool eof = false;
        return read_exact(n, patient(timeout), eof);
    }
    /// Everything that arrives within `wait`.
    std::string read_for(std::chrono::milliseconds wait);
    /// True while the server has not closed the connection (non-blocking check).
    bool open();

    /// TLS only: SHA-256 fingerprint of the server certificate ("AB:CD:...").
    std::string peer_fingerprint() const;
    /// TLS only: the session (SSL_SESSION*, owned by the caller: SSL_SESSION_free) and whether
    /// this connection resumed one.
    void* session() const;
    bool session_reused() const;

private:
    void connect_tcp(uint16_t port, const std::string& source_address = {});
    void send_raw(std::string_view bytes, bool trickle = false);
    /// Moves what OpenSSL wrote into the socket.
    void flush_tls(bool trickle = false);
    /// One read into `buf`: > 0 bytes, 0 on EOF, -1 on timeout.
    long receive(char* buf, size_t size, int timeout_ms);

    /// Reads up to `n` bytes within `timeout`; stops early on EOF.
    std::string read_exact(size_t n, std::chrono::milliseconds timeout, bool& eof);

    int fd_ = -1;
    std::string pending_;  // bytes read but not yet consumed by an expectation
    void* ctx_ = nullptr;  // SSL_CTX*, TLS only
    void* ssl_ = nullptr;  // SSL* over memory BIOs: every byte on the wire passes through here
};

}  // namespace blynk::test
