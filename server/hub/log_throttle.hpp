#pragma once
// At most one log line per interval for an event that remote peers can cause at will (refused
// logins, quota excess), with the number of lines held back in between. Thread-safe.

#include <chrono>
#include <cstdint>
#include <mutex>

namespace blynk::hub {

class LogThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(Clock::duration interval) : interval_(interval) {}

    /// True when a line may be written at `now`; `suppressed` is then the number of events held
    /// back since the previous line. False (the event counted as held back) otherwise.
    bool allow(Clock::time_point now, uint64_t& suppressed);

private:
    const Clock::duration interval_;
    std::mutex mutex_;
    bool logged_once_ = false;
    Clock::time_point last_line_{};
    uint64_t held_back_ = 0;
};

}  // namespace blynk::hub
