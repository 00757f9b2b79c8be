#pragma once
// The server's TLS context: loaded from server.ssl.cert/key, or from a self-signed certificate
// generated on first start and kept in the data folder. Reloadable at run time (SIGHUP, or when
// the files change): new handshakes use the new pair, open connections keep theirs, and a broken
// new pair is logged and the old one kept.

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace blynk::net {

struct TlsFiles {
    std::filesystem::path cert;  ///< PEM chain, leaf first
    std::filesystem::path key;   ///< PEM key, PKCS#8 or traditional, maybe encrypted
    std::string key_pass;        ///< empty = not encrypted
    bool latest_tls = true;      ///< TLS 1.2 and 1.3 with a modern cipher list only
};

/// The files to use: the configured pair, or (when none is configured) the generated pair in
/// `<data_dir>/tls/`, created on first call. Throws std::runtime_error on failure.
TlsFiles resolve_tls_files(const std::string& cert, const std::string& key,
                           const std::string& key_pass, bool latest_tls,
                           const std::filesystem::path& data_dir, const std::string& server_host);

class TlsContextHolder {
public:
    /// Loads the pair; throws std::runtime_error naming the file on failure (start-up).
    explicit TlsContextHolder(TlsFiles files);

    /// The context new handshakes should use; thread-safe.
    std::shared_ptr<boost::asio::ssl::context> current() const;
    /// SHA-256 fingerprint of the current certificate ("AB:CD:...").
    std::string fingerprint() const;

    /// Loads the files again; on failure logs why and keeps the current pair. Thread-safe.
    bool reload(const char* why);
    /// Reloads when either file's modification time changed since the last load.
    void reload_if_changed();

private:
    static std::shared_ptr<boost::asio::ssl::context> build(const TlsFiles& files);
    std::filesystem::file_time_type stamp() const;

    TlsFiles files_;
    mutable std::mutex mutex_;
    std::shared_ptr<boost::asio::ssl::context> context_;
    std::string fingerprint_;
    std::filesystem::file_time_type stamp_{};
};

}  // namespace blynk::net
