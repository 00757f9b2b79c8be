#pragma once
// What every hub connection (board or app) carries for the admin view: a number that names it
// while it lives, and when it connected.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace blynk::hub {

struct SessionIdentity {
    SessionIdentity() : id(next_id()), since(std::chrono::system_clock::now()) {}

    const uint64_t id;  ///< unique in this process, never reused
    const std::chrono::system_clock::time_point since;

private:
    static uint64_t next_id() {
        static std::atomic<uint64_t> last{0};
        return last.fetch_add(1, std::memory_order_relaxed) + 1;
    }
};

}  // namespace blynk::hub
