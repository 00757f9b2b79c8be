#include "server/hub/log_throttle.hpp"

namespace blynk::hub {

bool LogThrottle::allow(Clock::time_point now, uint64_t& suppressed) {
    std::lock_guard lock(mutex_);
    if (logged_once_ && now - last_line_ < interval_) {
        ++held_back_;
        return false;
    }
    logged_once_ = true;
    last_line_ = now;
    suppressed = held_back_;
    held_back_ = 0;
    return true;
}

}  // namespace blynk::hub
