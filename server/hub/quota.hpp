#pragma once
// Per-connection message quota: a token bucket of `limit` messages per second with a burst of one
// second's worth. Pure arithmetic over caller-supplied times so it can be unit-tested.

#include <chrono>
#include <cstdint>

namespace blynk::hub {

class QuotaMeter {
public:
    using Clock = std::chrono::steady_clock;
    /// The QUOTA_LIMIT answer is sent at most this often per connection.
    static constexpr std::chrono::seconds kWarnInterval{60};

    explicit QuotaMeter(uint32_t limit_per_second);

    /// Takes one message from the bucket; false when the message must be dropped.
    bool try_consume(Clock::time_point now);
    /// True when a dropped message should be answered with QUOTA_LIMIT (at most once a minute).
    bool should_warn(Clock::time_point now);
    /// Messages dropped since the meter was created.
    uint64_t dropped() const { return dropped_; }

private:
    double limit_;
    double tokens_;
    Clock::time_point last_refill_{};
    bool started_ = false;
    Clock::time_point last_warn_{};
    bool warned_ = false;
    uint64_t dropped_ = 0;
};

}  // namespace blynk::hub
