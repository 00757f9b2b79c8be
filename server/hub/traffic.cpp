#include "server/hub/traffic.hpp"

#include <vector>

namespace blynk::hub {
namespace {

// Slots outlive their threads (shared ownership), so totals never lose what a finished thread
// counted.
struct Registry {
    std::mutex mutex;
    std::vector<std::shared_ptr<detail::TrafficSlot>> slots;
};

Registry& registry() {
    static Registry r;
    return r;
}

}  // namespace

detail::TrafficSlot& detail::traffic_slot() {
    thread_local std::shared_ptr<TrafficSlot> slot = [] {
        auto s = std::make_shared<TrafficSlot>();
        std::lock_guard lock(registry().mutex);
        registry().slots.push_back(s);
        return s;
    }();
    return *slot;
}

TrafficCounts traffic_totals() {
    TrafficCounts totals{};
    std::lock_guard lock(registry().mutex);
    for (const auto& slot : registry().slots)
        for (size_t k = 0; k < kTrafficKinds; ++k)
            totals[k] += slot->received[k].load(std::memory_order_relaxed);
    return totals;
}

void TrafficRates::sample(std::chrono::steady_clock::time_point now) {
    const TrafficCounts totals = traffic_totals();
    std::lock_guard lock(mutex_);
    if (last_time_ != std::chrono::steady_clock::time_point{}) {
        const double seconds = std::chrono::duration<double>(now - last_time_).count();
        if (seconds > 0) {
            for (size_t k = 0; k < kTrafficKinds; ++k)
                rates_[k] = static_cast<double>(totals[k] - last_[k]) / seconds;
        }
    }
    last_ = totals;
    last_time_ = now;
}

std::array<double, kTrafficKinds> TrafficRates::rates() const {
    std::lock_guard lock(mutex_);
    return rates_;
}

}  // namespace blynk::hub
