#include "server/outbound/mail_settings.hpp"

#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "common/util/ascii.hpp"
#include "config/keys.hpp"
#include "config/properties.hpp"

namespace blynk::outbound {
namespace {

using config::ConfigError;

// JavaMail keys of old mail.properties files that need nothing here: TLS is trusted through the
// CA file and `mail.smtp.ssl.verify`, never by host name.
constexpr std::string_view kAccepted[] = {"mail.smtp.ssl.trust", "mail.smtp.ssl.protocols",
                                          "mail.transport.protocol", "mail.smtp.starttls.required"};

class Reader {
public:
    Reader(std::string file, std::vector<config::PropertyLine> lines) : file_(std::move(file)) {
        for (auto& l : lines)
            entries_[l.key] = std::move(l);  // a later duplicate wins
    }

    std::optional<std::string> text(std::string_view key) {
        auto it = entries_.find(std::string(key));
        if (it == entries_.end()) return std::nullopt;
        used_.insert(it->first);
        if (it->second.value.empty()) return std::nullopt;
        return it->second.value;
    }
    std::optional<bool> flag(std::string_view key) {
        auto t = text(key);
        if (!t) return std::nullopt;
        const auto v = util::ascii_lower(*t);
        if (v == "true") return true;
        if (v == "false") return false;
        fail(key, *t, "true or false");
    }
    std::optional<uint32_t> number(std::string_view key, uint32_t min, uint32_t max) {
        auto t = text(key);
        if (!t) return std::nullopt;
        uint32_t v = 0;
        const auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
        if (ec != std::errc() || end != t->data() + t->size() || v < min || v > max) {
            fail(key, *t,
                 "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        }
        return v;
    }
    /// Keys nobody asked for: JavaMail's known extras are fine, anything else is a typo.
    void unused(std::vector<std::string>& warnings) const {
        for (const auto& [key, line] : entries_) {
            if (used_.contains(key)) continue;
            bool accepted = false;
            for (auto k : kAccepted)
                accepted |= key == k;
            if (accepted) {
                warnings.push_back(file_ + ":" + std::to_string(line.line) + ": " + key +
                                   " has no effect in blynkd (see docs/configuration.md)");
            } else {
                throw ConfigError(file_ + ":" + std::to_string(line.line) + ": unknown key \"" +
                                  key + "\" (the keys are listed in docs/configuration.md)");
            }
        }
    }
    [[noreturn]] void fail(std::string_view key, std::string_view value, std::string_view allowed) {
        const auto& line = entries_.at(std::string(key)).line;
        throw ConfigError(file_ + ":" + std::to_string(line) + ": " + std::string(key) + " = \"" +
                          std::string(value) + "\": expected " + std::string(allowed));
    }

private:
    std::string file_;
    std::map<std::string, config::PropertyLine> entries_;
    std::set<std::string> used_;
};

}  // namespace

std::string MailSettings::url() const {
    return std::string(tls == MailTls::Implicit ? "smtps://" : "smtp://") + host + ":" +
           std::to_string(port);
}

MailSettings load_mail_settings(const std::filesystem::path& path,
                                std::vector<std::string>& warnings) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ConfigError("mail settings \"" + path.string() +
                          "\" cannot be read (mail.config, --mail-config)");
    }
    std::stringstream text;
    text << in.rdbuf();
    const std::string file = path.string();
    Reader r(file, config::parse_properties(text.str(), file));

    MailSettings s;
    auto host = r.text("mail.smtp.host");
    if (!host) throw ConfigError(file + ": mail.smtp.host is missing (the SMTP server's name)");
    s.host = *host;
    const bool implicit = r.flag("mail.smtp.ssl.enable").value_or(false);
    const bool starttls = r.flag("mail.smtp.starttls.enable").value_or(!implicit);
    s.tls = implicit ? MailTls::Implicit : starttls ? MailTls::StartTls : MailTls::None;
    s.port = static_cast<uint16_t>(r.number("mail.smtp.port", 1, 65535)
                                       .value_or(implicit   ? 465
                                                 : starttls ? 587
                                                            : 25));
    s.username = r.text("mail.smtp.username").value_or("");
    s.password = r.text("mail.smtp.password").value_or("");
    s.auth = r.flag("mail.smtp.auth").value_or(!s.username.empty());
    if (s.auth && s.username.empty()) {
        throw ConfigError(file + ": mail.smtp.auth is true but mail.smtp.username is empty");
    }
    s.from = r.text("mail.from").value_or(s.username);
    if (s.from.empty()) throw ConfigError(file + ": mail.from is missing (the sender's address)");
    s.verify = r.flag("mail.smtp.ssl.verify").value_or(true);
    s.ca_file = r.text("mail.smtp.ssl.ca.file").value_or("");
    s.connect_timeout_ms = r.number("mail.smtp.connectiontimeout", 100, 600000).value_or(30000);
    s.timeout_ms = r.number("mail.smtp.timeout", 100, 3600000).value_or(120000);
    s.retry_attempts = r.number("mail.retry.attempts", 0, 100).value_or(5);
    s.retry_delay_ms = r.number("mail.retry.delay.ms", 10, 86400000).value_or(30000);
    r.unused(warnings);
    return s;
}

}  // namespace blynk::outbound
