#pragma once
#include <chrono>
#include <cstdint>

namespace blynk::util {

/// Wall-clock milliseconds since the Unix epoch (what is stored and shown).
inline int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace blynk::util
