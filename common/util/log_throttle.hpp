#pragma once
// Keeps a log line that outsiders can trigger at will (refused connections, accept errors under a
// flood) to one per interval, counting what it held back, so that a flood cannot fill the disk
// or keep the I/O threads writing.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace blynk::util {

class LogThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(Clock::duration interval) : interval_(interval) {}

    /// The number of lines held back since the last one when this one may be written; nothing
    /// (and the line is counted) while the interval since the last written line runs.
    std::optional<uint64_t> admit(Clock::time_point now = Clock::now()) {
        std::lock_guard lock(mutex_);
        if (written_ && now - last_ < interval_) {
            ++held_back_;
            return std::nullopt;
        }
        written_ = true;
        last_ = now;
        const uint64_t held_back = held_back_;
        held_back_ = 0;
        return held_back;
    }

private:
    const Clock::duration interval_;
    std::mutex mutex_;
    bool written_ = false;
    Clock::time_point last_{};
    uint64_t held_back_ = 0;
};

}  // namespace blynk::util
