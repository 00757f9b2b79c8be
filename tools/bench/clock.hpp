#pragma once
// One clock for every timestamp the bench takes, including the ones it puts into message bodies:
// sender and receiver are threads of this process, so CLOCK_MONOTONIC is comparable across them.

#include <time.h>

#include <cstdint>

namespace blynk::bench {

/// Monotonic nanoseconds.
inline uint64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
}

/// Seconds to nanoseconds.
inline uint64_t seconds_ns(double s) {
    return static_cast<uint64_t>(s * 1e9);
}

}  // namespace blynk::bench
