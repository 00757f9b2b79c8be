#pragma once
// The load engine: many connections per thread on one epoll, each stream (sender → receiver,
// possibly the same connection) with a window of `depth` messages in flight (closed loop), or
// an open-loop schedule of `rate` messages per second spread round-robin over the streams,
// timestamps taken at the intended send time so that a stalled server shows as latency
// instead of silently slowing the load (no coordinated omission).

#include <cstdint>
#include <map>
#include <vector>

#include "tools/bench/histogram.hpp"
#include "tools/bench/workload.hpp"

namespace blynk::bench {

/// One stream's connections, already connected and logged in (non-blocking fds, owned by the
/// caller).
struct StreamFds {
    int tx = -1;
    int rx = -1;  ///< may equal tx
    bool http_tx = false;
};

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
    uint64_t deliveries = 0;       ///< in the measured window
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
};

/// Runs the streams, split over `threads` threads (a stream's connections stay on one thread).
LoadStats run_load(const std::vector<StreamFds>& streams, Workload& workload,
                   const LoadConfig& config, unsigned threads);

}  // namespace blynk::bench
