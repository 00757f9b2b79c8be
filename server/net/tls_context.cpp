#include "server/net/tls_context.hpp"

#include <openssl/ssl.h>

#include <spdlog/spdlog.h>

#include "server/net/certificate.hpp"

namespace blynk::net {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites for "latest.tls": forward secrecy and AEAD only. TLS 1.3 uses OpenSSL's
// defaults, which are all of that kind.
constexpr const char* kModernCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

TlsFiles resolve_tls_files(const std::string& cert, const std::string& key,
                           const std::string& key_pass, bool latest_tls,
                           const std::filesystem::path& data_dir, const std::string& server_host) {
    if (!cert.empty() || !key.empty()) {
        if (cert.empty() || key.empty()) {
            throw std::runtime_error("server.ssl.cert and server.ssl.key must be set together");
        }
        return TlsFiles{cert, key, key_pass, latest_tls};
    }
    TlsFiles files{data_dir / "tls" / "cert.pem", data_dir / "tls" / "key.pem", "", latest_tls};
    if (!std::filesystem::exists(files.cert) || !std::filesystem::exists(files.key)) {
        auto request = default_certificate_request(server_host);
        generate_self_signed(request, files.cert, files.key);
        std::string names;
        for (const auto& n : request.dns_names)
            names += (names.empty() ? "" : ", ") + n;
        for (const auto& n : request.ip_addresses)
            names += (names.empty() ? "" : ", ") + n;
        spdlog::info(
            "no server.ssl.cert configured: generated a self-signed ECDSA P-256 "
            "certificate {} for {}",
            files.cert.string(), names);
    }
    return files;
}

TlsContextHolder::TlsContextHolder(TlsFiles files) : files_(std::move(files)) {
    stamp_ = stamp();  // before reading the files, as in reload()
    context_ = build(files_);
    fingerprint_ = certificate_fingerprint(files_.cert);
    spdlog::info("TLS certificate {} SHA-256 fingerprint {}", files_.cert.string(), fingerprint_);
}

std::shared_ptr<ssl::context> TlsContextHolder::build(const TlsFiles& files) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* raw = ctx->native_handle();
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::single_dh_use |
                     ssl::context::no_compression);
    if (files.latest_tls) {
        SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION);
        SSL_CTX_set_cipher_list(raw, kModernCiphers);
    } else {
        // Old boards (ESP8266 with axTLS) only speak TLS 1.0/1.1 and older suites.
        SSL_CTX_set_min_proto_version(raw, TLS1_VERSION);
        SSL_CTX_set_cipher_list(raw, "DEFAULT:@SECLEVEL=0");
    }
    SSL_CTX_set1_groups_list(raw, "X25519:P-256:P-384");
    // Idle TLS connections give their read/write buffers back (a few KiB each). A write that
    // would block is retried from another buffer holding the same bytes (sessions try a write in
    // place, then hand the rest to an asynchronous write).
    SSL_CTX_set_mode(raw, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    // A board that drops the TCP connection without close_notify has simply closed it.
    SSL_CTX_set_options(raw, SSL_OP_IGNORE_UNEXPECTED_EOF);
    // Resumption: the session cache and tickets (on by default) for reconnecting boards.
    SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_SERVER);
    static const unsigned char kSessionContext[] = "blynkd";
    SSL_CTX_set_session_id_context(raw, kSessionContext, sizeof kSessionContext - 1);
    if (!files.key_pass.empty()) {
        ctx->set_password_callback(
            [pass = files.key_pass](size_t, ssl::context::password_purpose) { return pass; });
    }
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(files.cert.string(), ec);
    if (ec)
        throw std::runtime_error("cannot load certificate " + files.cert.string() + ": " +
                                 ec.message());
    ctx->use_private_key_file(files.key.string(), ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error("cannot load private key " + files.key.string() + ": " +
                                 ec.message() +
                                 (files.key_pass.empty() ? " (encrypted? set server.ssl.key.pass)"
                                                         : " (wrong server.ssl.key.pass?)"));
    }
    if (SSL_CTX_check_private_key(raw) != 1) {
        throw std::runtime_error("private key " + files.key.string() +
                                 " does not match certificate " + files.cert.string());
    }
    return ctx;
}

std::shared_ptr<ssl::context> TlsContextHolder::current() const {
    std::lock_guard lock(mutex_);
    return context_;
}

std::string TlsContextHolder::fingerprint() const {
    std::lock_guard lock(mutex_);
    return fingerprint_;
}

std::filesystem::file_time_type TlsContextHolder::stamp() const {
    std::error_code ec;
    auto a = std::filesystem::last_write_time(files_.cert, ec);
    auto b = std::filesystem::last_write_time(files_.key, ec);
    return std::max(a, b);
}

bool TlsContextHolder::reload(const char* why) {
    // Taken before reading the files: a change made while they are read is seen next time.
    const auto files_stamp = stamp();
    try {
        auto ctx = build(files_);
        auto fp = certificate_fingerprint(files_.cert);
        std::lock_guard lock(mutex_);
        context_ = std::move(ctx);
        const bool changed = fp != fingerprint_;
        fingerprint_ = std::move(fp);
        stamp_ = files_stamp;
        spdlog::info("TLS certificate reloaded ({}): SHA-256 fingerprint {}{}", why, fingerprint_,
                     changed ? "" : " (unchanged)");
        return true;
    } catch (const std::exception& e) {
        std::lock_guard lock(mutex_);
        stamp_ = files_stamp;  // do not retry the same broken files every check
        spdlog::error("TLS certificate reload ({}) failed, keeping the current one: {}", why,
                      e.what());
        return false;
    }
}

void TlsContextHolder::reload_if_changed() {
    const auto files_stamp = stamp();  // file system calls outside the lock new handshakes take
    {
        std::lock_guard lock(mutex_);
        if (files_stamp == stamp_) return;
    }
    reload("certificate files changed");
}

}  // namespace blynk::net
