#include "tests/support/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>
#include <stdexcept>
#include <thread>

#include "common/proto/body.hpp"
#include "common/proto/codec.hpp"
#include "server/net/certificate.hpp"

namespace blynk::test {

std::string frame(uint8_t command, uint16_t id, std::string_view body, proto::Layout layout) {
    std::string out;
    proto::encode(out, layout, command, id, body);
    return out;
}

std::string response(uint16_t id, uint32_t status, proto::Layout layout) {
    std::string out;
    proto::encode_response(out, layout, id, status);
    return out;
}

std::string body(std::initializer_list<std::string_view> fields) {
    return proto::join(std::vector<std::string_view>(fields));
}

std::string hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        if (!out.empty()) out.push_back(' ');
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

RawClient::RawClient(uint16_t port, const std::string& source_address) {
    connect_tcp(port, source_address);
}

RawClient::RawClient(uint16_t port, const TlsOptions& tls) {
    connect_tcp(port);
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    ctx_ = ctx;
    if (!tls.ca_file.empty()) {
        if (SSL_CTX_load_verify_locations(ctx, tls.ca_file.c_str(), nullptr) != 1) {
            throw std::runtime_error("cannot load CA " + tls.ca_file);
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    }
    SSL* ssl = SSL_new(ctx);
    ssl_ = ssl;
    SSL_set_bio(ssl, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_connect_state(ssl);
    SSL_set_tlsext_host_name(ssl, tls.server_name.c_str());
    if (!tls.ca_file.empty()) SSL_set1_host(ssl, tls.server_name.c_str());
    if (tls.resume_session) SSL_set_session(ssl, static_cast<SSL_SESSION*>(tls.resume_session));
    const auto deadline = std::chrono::steady_clock::now() + patient(5s);
    while (true) {
        int r = SSL_do_handshake(ssl);
        flush_tls(tls.trickle);
        if (r == 1) break;
        if (SSL_get_error(ssl, r) != SSL_ERROR_WANT_READ) {
            char reason[256] = "";
            ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
            throw std::runtime_error(std::string("TLS handshake failed: ") + reason);
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        char buf[4096];
        long n = left.count() > 0 ? receive(buf, sizeof buf, static_cast<int>(left.count())) : -1;
        if (n <= 0) throw std::runtime_error("TLS handshake: connection closed or timed out");
        BIO_write(SSL_get_rbio(ssl), buf, static_cast<int>(n));
    }
}

void RawClient::connect_tcp(uint16_t port, const std::string& source_address) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    if (!source_address.empty()) {
        sockaddr_in source{};
        source.sin_family = AF_INET;
        if (::inet_pton(AF_INET, source_address.c_str(), &source.sin_addr) != 1 ||
            ::bind(fd_, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0) {
            ::close(fd_);
            throw std::runtime_error("cannot bind to " + source_address);
        }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd_);
        throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) +
                                 " failed: " + std::strerror(errno));
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawClient::~RawClient() {
    if (ssl_) {
        // A clean close_notify: OpenSSL invalidates the session of a connection that just drops.
        SSL_shutdown(static_cast<SSL*>(ssl_));
        try {
            flush_tls();
        } catch (const std::exception&) {
            // the server may be gone already
        }
        SSL_free(static_cast<SSL*>(ssl_));
    }
    if (ctx_) SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
    if (fd_ >= 0) ::close(fd_);
}

void RawClient::send_raw(std::string_view bytes, bool trickle) {
    while (!bytes.empty()) {
        size_t chunk = trickle ? 1 : bytes.size();
        ssize_t n = ::send(fd_, bytes.data(), chunk, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
        bytes.remove_prefix(static_cast<size_t>(n));
        if (trickle) std::this_thread::sleep_for(2ms);
    }
}

void RawClient::flush_tls(bool trickle) {
    BIO* out = SSL_get_wbio(static_cast<SSL*>(ssl_));
    char buf[4096];
    int n;
    while ((n = BIO_read(out, buf, sizeof buf)) > 0) {
        send_raw(std::string_view(buf, static_cast<size_t>(n)), trickle);
    }
}

void RawClient::send(std::string_view bytes) {
    if (!ssl_) {
        send_raw(bytes);
        return;
    }
    if (SSL_write(static_cast<SSL*>(ssl_), bytes.data(), static_cast<int>(bytes.size())) <= 0) {
        throw std::runtime_error("SSL_write failed");
    }
    flush_tls();
}

void RawClient::send_records(const std::vector<std::string>& records) {
    if (!ssl_) throw std::logic_error("send_records needs TLS");
    auto* ssl = static_cast<SSL*>(ssl_);
    std::string wire;
    BIO* out = SSL_get_wbio(ssl);
    char buf[4096];
    for (const std::string& r : records) {
        if (SSL_write(ssl, r.data(), static_cast<int>(r.size())) <= 0)
            throw std::runtime_error("SSL_write failed");
        int n;
        while ((n = BIO_read(out, buf, sizeof buf)) > 0)
            wire.append(buf, static_cast<size_t>(n));
    }
    send_raw(wire);
}

void RawClient::send_then_close_notify(std::string_view bytes) {
    if (!ssl_) throw std::logic_error("send_then_close_notify needs TLS");
    auto* ssl = static_cast<SSL*>(ssl_);
    if (SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size())) <= 0)
        throw std::runtime_error("SSL_write failed");
    SSL_shutdown(ssl);
    std::string wire;
    char buf[4096];
    int n;
    while ((n = BIO_read(SSL_get_wbio(ssl), buf, sizeof buf)) > 0)
        wire.append(buf, static_cast<size_t>(n));
    send_raw(wire);
}

long RawClient::receive(char* buf, size_t size, int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return -1;
    ssize_t got = ::recv(fd_, buf, size, 0);
    return got <= 0 ? 0 : got;
}

std::string RawClient::peer_fingerprint() const {
    X509* cert = SSL_get1_peer_certificate(static_cast<SSL*>(ssl_));
    if (!cert) return {};
    std::string fp = net::x509_fingerprint(cert);
    X509_free(cert);
    return fp;
}

void* RawClient::session() const {
    return SSL_get1_session(static_cast<SSL*>(ssl_));
}

bool RawClient::session_reused() const {
    return SSL_session_reused(static_cast<SSL*>(ssl_)) == 1;
}

void RawClient::login(const std::string& token) {
    send_frame(29, 1, token);
    EXPECT_TRUE(expect_response(1, 200)) << "login with token " << token;
}

std::string RawClient::read_exact(size_t n, std::chrono::milliseconds timeout, bool& eof) {
    eof = false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[4096];
    while (pending_.size() < n) {
        if (ssl_) {  // first what OpenSSL has already decrypted
            int got = SSL_read(static_cast<SSL*>(ssl_), buf, sizeof buf);
            if (got > 0) {
                pending_.append(buf, static_cast<size_t>(got));
                continue;
            }
            int err = SSL_get_error(static_cast<SSL*>(ssl_), got);
            flush_tls();  // anything OpenSSL wants to say back
            if (err != SSL_ERROR_WANT_READ) {
                eof = true;
                break;
            }
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        long got = receive(buf, sizeof buf, static_cast<int>(left.count()));
        if (got < 0) break;
        if (got == 0) {
            eof = true;
            break;
        }
        if (ssl_) {
            BIO_write(SSL_get_rbio(static_cast<SSL*>(ssl_)), buf, static_cast<int>(got));
        } else {
            pending_.append(buf, static_cast<size_t>(got));
        }
    }
    std::string out = pending_.substr(0, std::min(n, pending_.size()));
    pending_.erase(0, out.size());
    return out;
}

::testing::AssertionResult RawClient::expect(std::string_view expected,
                                             std::chrono::milliseconds timeout) {
    bool eof = false;
    std::string got = read_exact(expected.size(), patient(timeout), eof);
    if (got == expected) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "\n  expected: " << hex(expected) << "\n  received: " << hex(got)
           << (eof ? "  (connection closed)" : "  (timed out)");
}

::testing::AssertionResult RawClient::expect_closed(std::chrono::milliseconds timeout) {
    bool eof = false;
    std::string got = read_exact(65536, patient(timeout), eof);
    if (eof && got.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << (eof ? "closed, but first sent: " + hex(got)
                   : "still open after " + std::to_string(timeout.count()) +
                         " ms; received: " + hex(got));
}

::testing::AssertionResult RawClient::expect_silence(std::chrono::milliseconds duration) {
    bool eof = false;
    std::string got = read_exact(65536, duration, eof);
    if (!eof && got.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "expected silence, got: " << hex(got) << (eof ? " (connection closed)" : "");
}

std::string RawClient::read_until(std::string_view delim, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + patient(timeout);
    while (pending_.find(delim) == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        bool eof = false;
        // Ask for one byte more than is buffered: read_exact keeps the rest in pending_.
        std::string got = read_exact(pending_.size() + 1, left, eof);
        pending_.insert(0, got);
        if (eof) break;
    }
    size_t at = pending_.find(delim);
    size_t n = at == std::string::npos ? pending_.size() : at + delim.size();
    std::string out = pending_.substr(0, n);
    pending_.erase(0, n);
    return out;
}

std::string RawClient::read_for(std::chrono::milliseconds wait) {
    bool eof = false;
    return read_exact(1 << 20, wait, eof);
}

bool RawClient::open() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return true;
    char c;
    ssize_t n = ::recv(fd_, &c, 1, MSG_PEEK);
    return n > 0;
}

}  // namespace blynk::test
