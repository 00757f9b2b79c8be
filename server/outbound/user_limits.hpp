#pragma once
// Per-user limits of the Java server on what leaves it: 100 mails a day (User.EMAIL_DAY_LIMIT)
// and one webhook call per webhooks.frequency.user.quota.limit ms. Thread-safe (any strand).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace blynk::outbound {

class UserLimits {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr uint32_t kMailsPerDay = 100;

    explicit UserLimits(std::chrono::milliseconds webhook_interval)
        : webhook_interval_(webhook_interval) {}

    /// Counts a mail of `email`; false when the day's allowance is spent.
    bool take_mail(const std::string& email, Clock::time_point now = Clock::now());
    /// Counts a webhook call of `email`; false within the interval after the last one.
    bool take_webhook(const std::string& email, Clock::time_point now = Clock::now());

private:
    struct Usage {
        Clock::time_point day_start{};
        uint32_t mails = 0;
        bool called = false;
        Clock::time_point last_webhook{};
    };
    const std::chrono::milliseconds webhook_interval_;
    std::mutex mutex_;
    std::unordered_map<std::string, Usage> users_;
};

}  // namespace blynk::outbound
