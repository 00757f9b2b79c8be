#pragma once
// The storage thread: owns its own Store (the sqlite3* is touched only from that thread),
// coalesces pin/property/last-seen writes (last value per key wins) and commits everything
// pending in one transaction per flush interval. It also notices provisioning done by other
// connections (the CLI process) through PRAGMA data_version and reports it via a callback.
//
// When a batch cannot be written (disk full, the database locked past the busy timeout, an I/O
// error) its data stays pending and is retried every flush interval; routing never waits for it.
// The pending values are bounded (max_backlog_values): beyond it new pin/property slots are
// dropped and counted while the slots already waiting keep taking their latest value. The failure
// is logged when it starts, then once a minute with the backlog, and once when writes succeed.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/store/history_backlog.hpp"
#include "server/store/store.hpp"
#include "server/store/types.hpp"

namespace blynk::store {

struct StorageBacklog;

class StorageWorker {
public:
    /// Receives provision_log entries (every entry after `start_after_seq`, each exactly once,
    /// in seq order), on the worker thread.
    using ProvisionCallback = std::function<void(std::vector<ProvisionEvent>)>;
    /// Work run on the worker thread with its store (see post()).
    using Task = std::function<void(Store&)>;

    /// Pending events beyond this drop the oldest (counted in Stats::dropped_events).
    static constexpr size_t kMaxPendingEvents = 10000;
    /// Posted tasks beyond this are refused (post() returns false).
    static constexpr size_t kMaxPendingTasks = 1000;
    /// Shorter flush intervals are raised to this (0 would spin).
    static constexpr std::chrono::milliseconds kMinFlushInterval{10};
    /// How often data_version is polled for other connections' commits.
    static constexpr std::chrono::milliseconds kProvisionPollInterval{500};
    /// How often a lasting storage failure is logged again (with the backlog's size).
    static constexpr std::chrono::seconds kFailureLogInterval{60};
    /// The default bound on pending pin values and properties (storage.backlog.max.values).
    static constexpr size_t kDefaultMaxBacklogValues = 200000;

    struct Stats {
        size_t pending_pins = 0;        ///< coalesced pin values waiting for the next flush
        size_t pending_properties = 0;  ///< coalesced properties waiting for the next flush
        size_t pending_events = 0;      ///< events waiting for the next flush
        size_t pending_dashboards = 0;  ///< dashboard snapshots waiting for the next flush
        uint64_t flushed_pins = 0;      ///< pin rows committed (after coalescing)
        uint64_t flushes = 0;           ///< successful non-empty batches
        uint64_t commit_us = 0;         ///< time spent writing and committing batches
        size_t max_pending_pins = 0;    ///< the most pin values ever waiting for one flush
        uint64_t dropped_events = 0;    ///< events dropped because the pending queue was full
        uint64_t failed_flushes = 0;    ///< batches that failed (their data was kept and retried)
        uint64_t dropped_values = 0;    ///< pin values/properties refused: the backlog was full
        size_t pending_history = 0;     ///< history points waiting for the next flush
        uint64_t flushed_history = 0;   ///< history points committed
        uint64_t dropped_history = 0;   ///< history points refused: history.backlog.max.points
        uint64_t history_over_cap = 0;  ///< history points refused: history.user.max.points
    };

    /// Starts the thread, which opens `db_path` (running migrations) before this returns;
    /// throws StoreError when that fails. Everything pending is committed at least every
    /// `flush_interval` (at least kMinFlushInterval). Provision log entries after
    /// `start_after_seq` go to `on_provision`, which may be empty. At most `max_backlog_values`
    /// pin values and properties wait at once (at least 1).
    StorageWorker(std::string db_path, std::chrono::milliseconds flush_interval,
                  int64_t start_after_seq, ProvisionCallback on_provision,
                  size_t max_backlog_values = kDefaultMaxBacklogValues);
    /// Calls stop().
    ~StorageWorker();
    StorageWorker(const StorageWorker&) = delete;
    StorageWorker& operator=(const StorageWorker&) = delete;

    /// Queues pin values of one user's devices under one lock (the hub hands over each user's
    /// changes in one batch); a later value for the same (email, dash, device, pin) replaces an
    /// earlier one. A pin not yet waiting is dropped (counted) while the backlog is full.
    /// Ignored after stop(). Callable from any thread.
    void put_pins(const std::string& email, std::vector<PinUpdate> batch);
    /// Queues a property; coalesced per (email, dash, device, pin, name); bounded like pins.
    void put_property(PropertyWrite w);
    /// Queues a last-seen time and online flag; coalesced per device (the latest time wins, on
    /// equal times the later call).
    void put_last_seen(LastSeenWrite w);
    /// Appends an event; beyond kMaxPendingEvents the oldest is dropped and counted.
    void put_event(EventWrite w);
    /// Queues snapshots of a user's dashboards (write-behind of app edits); coalesced per
    /// (email, dashboard id), the latest snapshot wins. Written with the next flush and kept for
    /// the next attempt when it fails, like pin values; dashboards deleted meanwhile are skipped.
    void put_dashboards(const std::string& email, std::vector<model::Dashboard> dashboards);

    /// Appends one user's history points (every one kept, in order); beyond the history
    /// backlog's bound new points are dropped and counted. Ignored after stop().
    void put_history(const std::string& email, std::vector<HistoryUpdate> points);
    /// History retention and cap (applied on the worker thread before later tasks) and the
    /// bound on pending history points.
    void configure_history(const HistorySettings& settings, size_t max_pending_points);

    /// Runs `task` on the worker thread (in order with other tasks), for provisioning that must
    /// not run on an I/O thread; the task reports its own result and handles its own errors.
    /// Provision log entries the task writes reach the callback like other connections' ones.
    /// Returns false (task not queued) when kMaxPendingTasks are waiting or after stop().
    bool post(Task task);

    /// Blocks until everything put before the call has been through a commit attempt (inline
    /// when called from a task or the callback, i.e. on the worker thread). Returns
    /// true when committed; false when that attempt failed (the data is kept and retried) or
    /// the worker has stopped with data it could not write.
    bool flush_now();

    /// Flushes everything pending (one attempt), then joins the thread. Idempotent.
    void stop();

    /// Counters and queue sizes; callable from any thread.
    Stats stats() const;

private:
    void run(std::string db_path, int64_t start_after_seq, std::promise<void>* opened);
    bool flush(Store& store);
    void run_tasks(Store& store);
    /// Writes the pending history points in their own transaction; false (points kept) on
    /// failure, with `error` set.
    bool flush_history(Store& store, std::string& error);
    /// History upkeep steps until `until` or until other work is waiting.
    void upkeep(Store& store, std::chrono::steady_clock::time_point until);
    /// Under mutex_: a flush, a task or stop() is waiting.
    bool work_waiting() const;
    void poll_provision(Store& store, bool force);
    /// True when no further pin/property slot fits: flushes fail and the bound is reached.
    /// Under mutex_.
    bool backlog_full() const;
    /// Whether a drop should be logged now (at most every 10 s, never while flushes fail: the
    /// failure's line counts the drops). Under mutex_.
    bool drop_warning_due();
    void warn_backlog_full(uint64_t dropped) const;
    /// Logs a failed flush when the failure starts and then once per kFailureLogInterval.
    void report_failure(const std::string& error,
                        std::chrono::steady_clock::time_point attempt_started);

    const std::chrono::milliseconds flush_interval_;
    const size_t max_backlog_values_;
    const ProvisionCallback on_provision_;

    mutable std::mutex mutex_;      // guards everything below up to thread_
    std::condition_variable wake_;  // the worker waits here
    std::condition_variable done_;  // flush_now() waits here
    std::unique_ptr<StorageBacklog> pending_;
    HistoryBacklog history_;  // has its own lock
    std::deque<Task> tasks_;
    bool urgent_ = false;           // many events pending: flush before the interval ends
    bool stopping_ = false;         // stop() called: puts are ignored, the worker flushes and exits
    bool exited_ = false;           // the worker thread has finished
    bool failing_ = false;          // the last flush failed: drops are reported with the failure
    size_t in_flight_values_ = 0;   // pins and properties of the batch being written
    uint64_t flush_requested_ = 0;  // flush_now() tickets handed out
    uint64_t flush_attempted_ = 0;  // highest ticket covered by a finished attempt
    uint64_t flush_committed_ = 0;  // highest ticket covered by a committed attempt
    Stats counters_;
    std::chrono::steady_clock::time_point last_drop_warning_{};

    // Worker-thread only.
    Store* store_ = nullptr;     // set while run() owns an open store
    std::thread::id worker_id_;  // written before the constructor returns, then constant
    int64_t last_seq_ = 0;
    int64_t last_data_version_ = 0;
    bool poll_failing_ = false;
    uint64_t failed_attempts_ = 0;                           // consecutive failed flushes
    std::chrono::steady_clock::time_point failing_since_{};  // when the first of them began
    std::chrono::steady_clock::time_point last_failure_log_{};
    std::chrono::steady_clock::time_point last_poll_failure_log_{};
    std::chrono::steady_clock::time_point upkeep_resumes_{};  // idle or failing until then

    std::mutex stop_mutex_;
    std::thread thread_;
};

}  // namespace blynk::store
