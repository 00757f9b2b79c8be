#include "server/hub/quota.hpp"

#include <algorithm>

namespace blynk::hub {

QuotaMeter::QuotaMeter(uint32_t limit_per_second)
    : limit_(static_cast<double>(std::max<uint32_t>(limit_per_second, 1))), tokens_(limit_) {}

bool QuotaMeter::try_consume(Clock::time_point now) {
    if (!started_) {
        started_ = true;
        last_refill_ = now;
    } else if (now > last_refill_) {
        std::chrono::duration<double> elapsed = now - last_refill_;
        tokens_ = std::min(limit_, tokens_ + elapsed.count() * limit_);
        last_refill_ = now;
    }
    if (tokens_ >= 1.0) {
        tokens_ -= 1.0;
        return true;
    }
    ++dropped_;
    return false;
}

bool QuotaMeter::should_warn(Clock::time_point now) {
    if (warned_ && now - last_warn_ < kWarnInterval) return false;
    warned_ = true;
    last_warn_ = now;
    return true;
}

}  // namespace blynk::hub
