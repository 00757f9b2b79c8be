#pragma once
// Messages received per protocol, for the admin view's rates. Each thread counts in its own slot
// (no cache line shared on the message path); the totals are summed when asked, and a sampler
// turns them into per-second rates.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

namespace blynk::hub {

enum class Traffic : uint8_t { Hardware, App, Http };
inline constexpr size_t kTrafficKinds = 3;

using TrafficCounts = std::array<uint64_t, kTrafficKinds>;

namespace detail {
struct TrafficSlot {
    std::array<std::atomic<uint64_t>, kTrafficKinds> received{};
};
/// This thread's slot, registered on first use.
TrafficSlot& traffic_slot();
}  // namespace detail

/// Counts one message received (a frame, an HTTP request) on the calling thread.
inline void count_received(Traffic kind) {
    auto& counter = detail::traffic_slot().received[static_cast<size_t>(kind)];
    // One writer per slot: a plain load and store, no locked instruction.
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

/// Everything counted so far, over all threads.
TrafficCounts traffic_totals();

/// Per-second rates from the totals: sample() once a second (a timer), rates() from anywhere.
class TrafficRates {
public:
    void sample(std::chrono::steady_clock::time_point now);
    /// Messages per second over the last sampled interval.
    std::array<double, kTrafficKinds> rates() const;

private:
    mutable std::mutex mutex_;
    TrafficCounts last_{};
    std::chrono::steady_clock::time_point last_time_{};
    std::array<double, kTrafficKinds> rates_{};
};

}  // namespace blynk::hub
