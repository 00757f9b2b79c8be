#pragma once
// The web console's sign-in sessions: a random cookie value names each, with its user, its CSRF
// token and its expiry. In memory (a restart signs everyone out); thread-safe (one mutex).

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace blynk::http {

/// The console's cookie.
inline constexpr std::string_view kSessionCookie = "blynkd_session";

struct WebSession {
    std::string email;
    std::string csrf;  ///< sent back in X-CSRF-Token with every change
    std::chrono::steady_clock::time_point expires;
};

class WebSessions {
public:
    using Clock = std::chrono::steady_clock;

    /// Sessions last `lifetime` from sign-in; beyond `max_sessions` the one closest to expiring
    /// goes first.
    WebSessions(std::chrono::seconds lifetime, size_t max_sessions);

    std::chrono::seconds lifetime() const { return lifetime_; }
    struct Created {
        std::string cookie;
        std::string csrf;
    };
    /// A new session of `email`: its cookie value and CSRF token.
    Created create(const std::string& email, Clock::time_point now);
    /// The live session a cookie value names; nullopt when unknown or expired.
    std::optional<WebSession> find(std::string_view cookie, Clock::time_point now);
    /// Signs one session out (no-op when unknown).
    void revoke(std::string_view cookie);
    /// Signs every session of a user out (a new password); returns how many there were.
    size_t revoke_user(std::string_view email);
    size_t size() const;

private:
    void drop_expired(Clock::time_point now);

    std::chrono::seconds lifetime_;
    size_t max_sessions_;
    mutable std::mutex mutex_;
    std::map<std::string, WebSession, std::less<>> sessions_;
};

/// The value of cookie `name` in a Cookie header ("a=1; blynkd_session=xyz"), or empty.
std::string_view cookie_value(std::string_view header, std::string_view name);

}  // namespace blynk::http
