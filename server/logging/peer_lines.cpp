#include "server/logging/peer_lines.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <utility>

namespace blynk::logging {
namespace {

struct Bucket {
    double tokens = 0;
    LimitClock::time_point filled{};
    size_t suppressed = 0;
};

struct Buckets {
    std::mutex mutex;
    PeerLineLimits limits;
    std::array<Bucket, static_cast<size_t>(PeerLine::kCount)> buckets{};

    Buckets() { refill_all(); }
    void refill_all() {
        for (auto& b : buckets)
            b = Bucket{limits.burst, LimitClock::now(), 0};
    }
};

Buckets& state() {
    static Buckets s;
    return s;
}

}  // namespace

std::string_view name(PeerLine kind) {
    switch (kind) {
        case PeerLine::DeviceText:
            return "device says";
        case PeerLine::DeviceEvent:
            return "event";
        case PeerLine::Notification:
            return "notification";
        case PeerLine::LoginFailure:
            return "login rejected";
        case PeerLine::Disconnect:
            return "disconnect";
        case PeerLine::kCount:
            break;
    }
    return "?";
}

bool allow(PeerLine kind, LimitClock::time_point now) {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    Bucket& b = s.buckets[static_cast<size_t>(kind)];
    const std::chrono::duration<double> elapsed = now - b.filled;
    if (elapsed.count() > 0) {
        b.tokens = std::min(s.limits.burst, b.tokens + elapsed.count() * s.limits.per_second);
        b.filled = now;
    }
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return true;
    }
    ++b.suppressed;
    return false;
}

void report_suppressed() {
    std::array<size_t, static_cast<size_t>(PeerLine::kCount)> counts{};
    double per_second = 0;
    {
        auto& s = state();
        std::lock_guard lock(s.mutex);
        per_second = s.limits.per_second;
        for (size_t i = 0; i < counts.size(); ++i)
            counts[i] = std::exchange(s.buckets[i].suppressed, 0);
    }
    for (size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] == 0) continue;
        spdlog::warn("log: {} \"{}\" line(s) suppressed (more than {} a second come from clients)",
                     counts[i], name(static_cast<PeerLine>(i)), per_second);
    }
}

void reset(PeerLineLimits limits) {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    s.limits = limits;
    s.refill_all();
}

}  // namespace blynk::logging
