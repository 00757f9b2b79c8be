#pragma once
// The server's counters: messages in and out per protocol and command, connections opened and
// closed per protocol and transport, logins, drops, TLS handshakes. They feed the admin view's
// rates, /metrics and systemd's STATUS=. Each thread counts in its own slot (no cache line shared
// on the message path, no locked instruction); the totals are summed when asked.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>

namespace blynk::hub {

enum class Traffic : uint8_t { Hardware, App, Http };
inline constexpr size_t kTrafficKinds = 3;
/// Blynk frames come from hardware and app connections (the first two kinds).
inline constexpr size_t kFrameKinds = 2;
inline constexpr size_t kCommands = 256;

/// Serial: an MCU on a serial port (Blynk.NCP), hardware only.
enum class Transport : uint8_t { Tcp, Tls, Ws, Wss, Serial };
inline constexpr size_t kTransports = 5;

/// "tcp", "tls", "ws", "wss" or "serial" (the names sessions log); anything else counts as "tcp".
Transport transport_of(std::string_view name);
const char* transport_name(Transport transport);
/// "hardware", "app" or "http".
const char* traffic_name(Traffic kind);

using TrafficCounts = std::array<uint64_t, kTrafficKinds>;

namespace detail {
using Counter = std::atomic<uint64_t>;
template <size_t N>
using Counters = std::array<Counter, N>;

struct TrafficSlot {
    std::array<Counters<kCommands>, kFrameKinds> frames_in{};
    std::array<Counters<kCommands>, kFrameKinds> frames_out{};
    Counter http_requests{};
    std::array<Counters<kTransports>, kTrafficKinds> opened{};
    std::array<Counters<kTransports>, kTrafficKinds> closed{};
    Counters<kFrameKinds> logins{};
    Counters<kFrameKinds> login_failures{};
    Counters<kFrameKinds> quota_drops{};
    Counters<kFrameKinds> slow_reader_drops{};
    Counter tls_handshakes{};
    Counter tls_handshake_failures{};
};
/// A new slot, registered for the totals (it lives as long as the process).
TrafficSlot* register_slot();
/// This thread's slot. A constant-initialised thread_local: no guard on the message path.
inline thread_local TrafficSlot* this_thread_slot = nullptr;
inline TrafficSlot& traffic_slot() {
    TrafficSlot* slot = this_thread_slot;
    if (!slot) [[unlikely]]
        slot = this_thread_slot = register_slot();
    return *slot;
}

/// One writer per slot: a plain load and store, no locked instruction.
inline void bump(Counter& counter) {
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}
}  // namespace detail

/// Counts one frame received from a hardware or app connection.
inline void count_received(Traffic kind, uint8_t command) {
    detail::bump(detail::traffic_slot().frames_in[static_cast<size_t>(kind)][command]);
}
/// Counts one HTTP request received.
inline void count_http_request() {
    detail::bump(detail::traffic_slot().http_requests);
}
/// Counts one frame queued to a hardware or app connection.
inline void count_sent(Traffic kind, uint8_t command) {
    detail::bump(detail::traffic_slot().frames_out[static_cast<size_t>(kind)][command]);
}
inline void count_login(Traffic kind, bool ok) {
    auto& slot = detail::traffic_slot();
    detail::bump((ok ? slot.logins : slot.login_failures)[static_cast<size_t>(kind)]);
}
/// A frame dropped because its connection was over user.message.quota.limit.
inline void count_quota_drop(Traffic kind) {
    detail::bump(detail::traffic_slot().quota_drops[static_cast<size_t>(kind)]);
}
/// A connection closed because it read its output too slowly.
inline void count_slow_reader(Traffic kind) {
    detail::bump(detail::traffic_slot().slow_reader_drops[static_cast<size_t>(kind)]);
}
inline void count_tls_handshake(bool ok) {
    auto& slot = detail::traffic_slot();
    detail::bump(ok ? slot.tls_handshakes : slot.tls_handshake_failures);
}

/// Counts a connection as open for as long as it lives (a member of the session).
class CountedConnection {
public:
    CountedConnection(Traffic kind, Transport transport) : kind_(kind), transport_(transport) {
        detail::bump(detail::traffic_slot()
                         .opened[static_cast<size_t>(kind_)][static_cast<size_t>(transport_)]);
    }
    ~CountedConnection() {
        detail::bump(detail::traffic_slot()
                         .closed[static_cast<size_t>(kind_)][static_cast<size_t>(transport_)]);
    }
    CountedConnection(const CountedConnection&) = delete;
    CountedConnection& operator=(const CountedConnection&) = delete;

private:
    Traffic kind_;
    Transport transport_;
};

/// Everything counted so far, over all threads.
struct TrafficSnapshot {
    template <size_t N>
    using Values = std::array<uint64_t, N>;
    std::array<Values<kCommands>, kFrameKinds> frames_in{};
    std::array<Values<kCommands>, kFrameKinds> frames_out{};
    uint64_t http_requests = 0;
    std::array<Values<kTransports>, kTrafficKinds> opened{};
    std::array<Values<kTransports>, kTrafficKinds> closed{};
    Values<kFrameKinds> logins{};
    Values<kFrameKinds> login_failures{};
    Values<kFrameKinds> quota_drops{};
    Values<kFrameKinds> slow_reader_drops{};
    uint64_t tls_handshakes = 0;
    uint64_t tls_handshake_failures = 0;

    /// Connections of `kind` open now (opened minus closed), per transport.
    Values<kTransports> open(Traffic kind) const;
    /// Connections of `kind` open now, over every transport.
    uint64_t open_total(Traffic kind) const;
    /// Messages received per kind (frames, HTTP requests).
    TrafficCounts received() const;
};
TrafficSnapshot traffic_snapshot();

/// Per-second rates of messages received: sample() once a second (a timer), rates() from
/// anywhere.
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
