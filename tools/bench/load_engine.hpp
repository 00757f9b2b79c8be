#pragma once
// The load engine: many connections per thread on one epoll, plain or TLS, each speaking the
// hardware or app framing or HTTP; each stream (sender → receivers, possibly the same
// connection) with a window of `depth` messages in flight (closed loop), or
// an open-loop schedule of `rate` messages per second spread round-robin over the streams,
// timestamps taken at the intended send time so that a stalled server shows as latency
// instead of silently slowing the load (no coordinated omission).

#include <openssl/ssl.h>

#include <cstdint>
#include <map>
#include <vector>

#include "tools/bench/histogram.hpp"
#include "tools/bench/workload.hpp"

namespace blynk::bench {

/// One connection, already connected and logged in: a non-blocking fd and, for TLS, its
/// established SSL (both owned by the caller).
struct Endpoint {
    int fd = -1;
    SSL* ssl = nullptr;
    Wire wire = Wire::Hardware;
};

/// One stream: the sender and its receivers. A receiver may be the sender itself (echo, write);
/// with several receivers (one device's write reaching every app session of its user) a
/// message completes when each has received it.
struct StreamFds {
    Endpoint tx;
    std::vector<Endpoint> rx;
};

/// A stream from `tx` to `rx` (the same fd for echo and write), both speaking `wire`.
inline StreamFds stream_of(int tx, int rx, Wire wire = Wire::Hardware) {
    return StreamFds{Endpoint{tx, nullptr, wire}, {Endpoint{rx, nullptr, wire}}};
}

struct LoadConfig {
    double warmup_s = 0.5;
    double duration_s = 3;
    double drain_s = 2;  ///< after the measured window: wait this long for messages in flight
    uint32_t depth = 1;  ///< closed loop: messages in flight per stream
    double rate = 0;     ///< open loop: messages per second over all threads; 0 = closed loop
    uint32_t max_outstanding = 4096;  ///< open loop: per stream; beyond it sends are skipped
};

struct LoadStats {
    uint64_t sent = 0;             ///< in the measured window
    uint64_t acks = 0;             ///< in the measured window
    uint64_t deliveries = 0;       ///< in the measured window (at every receiver)
    uint64_t errors = 0;           ///< whole run
    uint64_t skipped = 0;          ///< open loop: not sent because max_outstanding was reached
    uint64_t unfinished = 0;       ///< still in flight when the drain ended (lost or stuck)
    uint64_t total_completed = 0;  ///< acks or deliveries (what frees windows), whole run
    uint64_t broken_conns = 0;
    std::map<uint32_t, uint64_t> error_codes;
    Histogram delivery;  ///< send → arrival at the receiver
    Histogram ack;       ///< send → the sender's answer
    double seconds = 0;  ///< the measured window

    void merge(const LoadStats& other);
    /// What the scenario counts as done per second: deliveries, or acks when there are none.
    double completed_per_s() const;
    /// Messages sent per second (a message reaching several receivers counts once).
    double sent_per_s() const { return seconds > 0 ? static_cast<double>(sent) / seconds : 0; }
};

/// Runs the streams, split over `threads` threads (a stream's connections stay on one thread).
LoadStats run_load(const std::vector<StreamFds>& streams, Workload& workload,
                   const LoadConfig& config, unsigned threads);

}  // namespace blynk::bench
