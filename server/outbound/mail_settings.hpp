#pragma once
// The SMTP server, read from mail.properties. The keys are the Java server's (JavaMail's names:
// mail.smtp.host, port, auth, username, password, starttls.enable, ssl.enable,
// connectiontimeout, timeout, mail.from) plus what JavaMail configured elsewhere: the CA file,
// certificate checks and the retry policy. See docs/configuration.md, "E-mail".

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace blynk::outbound {

enum class MailTls : uint8_t {
    None,      ///< plain SMTP (a relay on the same host)
    StartTls,  ///< plain connection upgraded with STARTTLS, which must succeed (port 587)
    Implicit,  ///< TLS from the first byte, "SMTPS" (port 465)
};

struct MailSettings {
    std::string host;
    uint16_t port = 587;
    MailTls tls = MailTls::StartTls;
    bool auth = true;  ///< AUTH with username/password (PLAIN or LOGIN, as the server offers)
    std::string username, password;
    std::string from;     ///< the sender; default: username
    bool verify = true;   ///< check the server's certificate and name
    std::string ca_file;  ///< PEM CA bundle instead of the system's
    uint32_t connect_timeout_ms = 30000;
    uint32_t timeout_ms = 120000;
    uint32_t retry_attempts = 5;  ///< tries after the first, on 4xx answers and lost connections
    uint32_t retry_delay_ms = 30000;  ///< before the first retry; doubles for each next one

    /// "smtp://host:port" or "smtps://host:port".
    std::string url() const;
};

/// Reads `path`. Throws config::ConfigError naming the file, the line and the key for a value
/// that cannot be used, or when mail.smtp.host is missing. Keys JavaMail knew that have no
/// meaning here are listed in `warnings`.
MailSettings load_mail_settings(const std::filesystem::path& path,
                                std::vector<std::string>& warnings);

}  // namespace blynk::outbound
