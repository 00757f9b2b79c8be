#include "server/http/web_sessions.hpp"

#include <algorithm>

#include "common/util/token.hpp"

namespace blynk::http {

WebSessions::WebSessions(std::chrono::seconds lifetime, size_t max_sessions)
    : lifetime_(lifetime), max_sessions_(std::max<size_t>(max_sessions, 1)) {}

WebSessions::Created WebSessions::create(const std::string& email, Clock::time_point now) {
    Created created{util::generate_token(), util::generate_token()};
    WebSession session{email, created.csrf, now + lifetime_};
    std::lock_guard lock(mutex_);
    drop_expired(now);
    if (sessions_.size() >= max_sessions_) {
        auto soonest = std::min_element(
            sessions_.begin(), sessions_.end(),
            [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; });
        sessions_.erase(soonest);
    }
    sessions_.emplace(created.cookie, std::move(session));
    return created;
}

std::optional<WebSession> WebSessions::find(std::string_view cookie, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(cookie);
    if (it == sessions_.end()) return std::nullopt;
    if (it->second.expires <= now) {
        sessions_.erase(it);
        return std::nullopt;
    }
    return it->second;
}

void WebSessions::revoke(std::string_view cookie) {
    std::lock_guard lock(mutex_);
    if (auto it = sessions_.find(cookie); it != sessions_.end()) sessions_.erase(it);
}

size_t WebSessions::revoke_user(std::string_view email) {
    std::lock_guard lock(mutex_);
    return std::erase_if(sessions_, [&](const auto& s) { return s.second.email == email; });
}

size_t WebSessions::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void WebSessions::drop_expired(Clock::time_point now) {
    std::erase_if(sessions_, [&](const auto& s) { return s.second.expires <= now; });
}

std::string_view cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const size_t semi = header.find(';');
        std::string_view pair = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        while (!pair.empty() && pair.front() == ' ')
            pair.remove_prefix(1);
        const size_t eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    }
    return {};
}

}  // namespace blynk::http
