#include "server/hub/traffic.hpp"

#include <vector>

namespace blynk::hub {
namespace {

// Slots outlive their threads (the registry keeps them), so totals never lose what a finished
// thread counted.
struct Registry {
    std::mutex mutex;
    std::vector<std::shared_ptr<detail::TrafficSlot>> slots;
};

Registry& registry() {
    static Registry r;
    return r;
}

uint64_t read(const detail::Counter& counter) {
    return counter.load(std::memory_order_relaxed);
}

template <size_t N>
void add(std::array<uint64_t, N>& to, const detail::Counters<N>& from) {
    for (size_t i = 0; i < N; ++i)
        to[i] += read(from[i]);
}

template <size_t M, size_t N>
void add(std::array<std::array<uint64_t, N>, M>& to,
         const std::array<detail::Counters<N>, M>& from) {
    for (size_t i = 0; i < M; ++i)
        add(to[i], from[i]);
}

}  // namespace

Transport transport_of(std::string_view name) {
    if (name == "tls") return Transport::Tls;
    if (name == "ws") return Transport::Ws;
    if (name == "wss") return Transport::Wss;
    if (name == "serial") return Transport::Serial;
    return Transport::Tcp;
}

const char* transport_name(Transport transport) {
    constexpr std::array<const char*, kTransports> kNames{"tcp", "tls", "ws", "wss", "serial"};
    return kNames[static_cast<size_t>(transport)];
}

const char* traffic_name(Traffic kind) {
    constexpr std::array<const char*, kTrafficKinds> kNames{"hardware", "app", "http"};
    return kNames[static_cast<size_t>(kind)];
}

detail::TrafficSlot* detail::register_slot() {
    auto slot = std::make_shared<TrafficSlot>();
    std::lock_guard lock(registry().mutex);
    registry().slots.push_back(slot);
    return slot.get();
}

TrafficSnapshot traffic_snapshot() {
    TrafficSnapshot s;
    std::lock_guard lock(registry().mutex);
    for (const auto& slot : registry().slots) {
        add(s.frames_in, slot->frames_in);
        add(s.frames_out, slot->frames_out);
        s.http_requests += read(slot->http_requests);
        add(s.opened, slot->opened);
        add(s.closed, slot->closed);
        add(s.logins, slot->logins);
        add(s.login_failures, slot->login_failures);
        add(s.quota_drops, slot->quota_drops);
        add(s.slow_reader_drops, slot->slow_reader_drops);
        s.tls_handshakes += read(slot->tls_handshakes);
        s.tls_handshake_failures += read(slot->tls_handshake_failures);
    }
    return s;
}

TrafficSnapshot::Values<kTransports> TrafficSnapshot::open(Traffic kind) const {
    const size_t k = static_cast<size_t>(kind);
    Values<kTransports> out{};
    // Another thread may count a close before this snapshot sees its open: never below zero.
    for (size_t t = 0; t < kTransports; ++t)
        out[t] = opened[k][t] > closed[k][t] ? opened[k][t] - closed[k][t] : 0;
    return out;
}

uint64_t TrafficSnapshot::open_total(Traffic kind) const {
    uint64_t total = 0;
    for (uint64_t n : open(kind))
        total += n;
    return total;
}

TrafficCounts TrafficSnapshot::received() const {
    TrafficCounts out{};
    for (size_t k = 0; k < kFrameKinds; ++k)
        for (uint64_t n : frames_in[k])
            out[k] += n;
    out[static_cast<size_t>(Traffic::Http)] = http_requests;
    return out;
}

void TrafficRates::sample(std::chrono::steady_clock::time_point now) {
    const TrafficCounts totals = traffic_snapshot().received();
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
