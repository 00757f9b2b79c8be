#pragma once
// OpenSSL pieces of the bench: the client context (no certificate check: the bench talks to
// its own server), and an RSA-2048 self-signed pair for the second (RSA) server of the
// connect scenario.

#include <openssl/ssl.h>

#include <filesystem>
#include <memory>
#include <string>

namespace blynk::bench {

struct SslCtxDeleter {
    void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

/// TLS 1.2+ client context; with `release_buffers`, SSL_MODE_RELEASE_BUFFERS so that thousands
/// of idle client connections do not hold 2 × 16 KiB buffers each (the bench's memory is not
/// measured, but it shares the machine). Busy connections are faster without it.
SslCtxPtr make_client_context(bool release_buffers = true);

/// Writes a self-signed RSA-2048 certificate (CN=localhost, SHA-256, 30 days) and its key as PEM.
/// Throws on failure.
void write_rsa_pair(const std::filesystem::path& cert, const std::filesystem::path& key);

/// OpenSSL's error queue as text (and cleared).
std::string ssl_errors();

}  // namespace blynk::bench
