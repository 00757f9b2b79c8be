#include "server/outbound/user_limits.hpp"

namespace blynk::outbound {

bool UserLimits::take_mail(const std::string& email, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    Usage& u = users_[email];
    if (u.mails == 0 || now - u.day_start >= std::chrono::hours(24)) {
        u.day_start = now;
        u.mails = 0;
    }
    if (u.mails >= kMailsPerDay) return false;
    ++u.mails;
    return true;
}

bool UserLimits::take_webhook(const std::string& email, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    Usage& u = users_[email];
    if (u.called && now - u.last_webhook < webhook_interval_) return false;
    u.called = true;
    u.last_webhook = now;
    return true;
}

}  // namespace blynk::outbound
