#pragma once
// History points the storage worker has not written yet. Unlike pin values they are never
// coalesced: every point is kept, in order, up to a bound (history.backlog.max.points) beyond
// which new points are dropped and counted. Thread-safe: producers are the hub's threads, the
// consumer is the storage thread.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "server/store/history_store.hpp"

namespace blynk::store {

/// A value for a pin's history, of one device of the user it is handed over with.
struct HistoryUpdate {
    int dash_id = 0;
    int device_id = 0;
    model::PinKey pin;
    double value = 0;
    int64_t time_ms = 0;
};

class HistoryBacklog {
public:
    static constexpr size_t kDefaultMaxPoints = 1'000'000;

    /// A batch taken out for writing: the points (views into emails the backlog keeps).
    using Batch = std::vector<HistoryWrite>;

    explicit HistoryBacklog(size_t max_points = kDefaultMaxPoints) : max_points_(max_points) {}

    void set_max_points(size_t max_points);
    /// Appends one user's points; those beyond the bound are dropped. Returns how many were
    /// dropped.
    size_t put(const std::string& email, std::vector<HistoryUpdate> points);
    /// Moves everything pending out (counted as in flight until finished()).
    Batch take();
    /// The batch taken last was written (or, with `failed`, is put back in front, dropping the
    /// oldest beyond the bound; returns how many were dropped).
    size_t finished(Batch batch, bool failed);

    size_t pending() const;
    /// Half the bound is waiting: worth flushing before the interval ends.
    bool urgent() const;
    size_t max_points() const;

private:
    mutable std::mutex mutex_;
    size_t max_points_;
    size_t in_flight_ = 0;
    std::unordered_set<std::string> emails_;  // interned: points hold views (never shrinks)
    Batch pending_;
};

}  // namespace blynk::store
