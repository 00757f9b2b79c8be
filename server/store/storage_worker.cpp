#include "server/store/storage_worker.hpp"

#include "server/store/storage_backlog.hpp"

#include <algorithm>
#include <deque>
#include <exception>
#include <functional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

namespace blynk::store {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::seconds kWarnEvery{10};

}  // namespace

StorageWorker::StorageWorker(std::string db_path, std::chrono::milliseconds flush_interval,
                             int64_t start_after_seq, ProvisionCallback on_provision,
                             size_t max_backlog_values)
    : flush_interval_(std::max(flush_interval, kMinFlushInterval)),
      max_backlog_values_(std::max<size_t>(max_backlog_values, 1)),
      on_provision_(std::move(on_provision)),
      pending_(std::make_unique<StorageBacklog>()) {
    std::promise<void> opened;
    auto ready = opened.get_future();
    thread_ = std::thread([this, path = std::move(db_path), start_after_seq, &opened]() mutable {
        run(std::move(path), start_after_seq, &opened);
    });
    try {
        ready.get();
    } catch (...) {
        thread_.join();
        throw;
    }
}

StorageWorker::~StorageWorker() {
    stop();
}

// ---------------------------------------------------------------------------------------------
// Producers (any thread): one short lock each.

bool StorageWorker::backlog_full() const {
    // Only while flushes fail: a healthy disk commits every slot, and the slots (one per pin and
    // property, coalesced) are bounded by what the hub itself holds. Bounding them then would
    // drop last values whenever more distinct pins change within one interval than the bound.
    return failing_ && pending_->pins.size() + pending_->properties.size() + in_flight_values_ >=
                           max_backlog_values_;
}

bool StorageWorker::drop_warning_due() {
    if (failing_) return false;  // the failure's own line reports the drops
    const auto now = Clock::now();
    if (now - last_drop_warning_ < kWarnEvery) return false;
    last_drop_warning_ = now;
    return true;
}

void StorageWorker::put_pins(const std::string& email, std::vector<PinUpdate> batch) {
    bool warn = false;
    uint64_t dropped = 0;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        for (PinUpdate& u : batch) {
            if (!pending_->put_pin(email, std::move(u), backlog_full())) {
                dropped = ++counters_.dropped_values;
                warn = drop_warning_due() || warn;
            }
        }
    }
    if (warn) warn_backlog_full(dropped);
}

void StorageWorker::put_property(PropertyWrite w) {
    bool warn = false;
    uint64_t dropped = 0;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        if (!pending_->put_property(std::move(w), backlog_full())) {
            dropped = ++counters_.dropped_values;
            warn = drop_warning_due();
        }
    }
    if (warn) warn_backlog_full(dropped);
}

void StorageWorker::warn_backlog_full(uint64_t dropped) const {
    store_log()->warn(
        "storage backlog full ({} values waiting, storage.backlog.max.values): new pin values "
        "and properties are dropped, {} so far",
        max_backlog_values_, dropped);
}

void StorageWorker::put_last_seen(LastSeenWrite w) {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    pending_->put_last_seen(std::move(w));
}

void StorageWorker::put_event(EventWrite w) {
    bool warn = false;
    bool wake = false;
    uint64_t dropped = 0;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        auto& events = pending_->events;
        if (events.size() >= kMaxPendingEvents) {
            events.pop_front();
            dropped = ++counters_.dropped_events;
            warn = drop_warning_due();
        }
        events.push_back(std::move(w));
        // Half full: flush early rather than wait out the interval and start dropping.
        if (!urgent_ && events.size() >= kMaxPendingEvents / 2) {
            urgent_ = true;
            wake = true;
        }
    }
    if (wake) wake_.notify_one();
    if (warn) {
        store_log()->warn(
            "device event queue full ({} pending): dropping the oldest, {} dropped so far",
            kMaxPendingEvents, dropped);
    }
}

void StorageWorker::put_dashboards(const std::string& email,
                                   std::vector<model::Dashboard> dashboards) {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    pending_->put_dashboards(email, std::move(dashboards));
}

bool StorageWorker::post(Task task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || tasks_.size() >= kMaxPendingTasks) return false;
        tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
    return true;
}

bool StorageWorker::flush_now() {
    // From a task or the provisioning callback: we are the worker, so flush inline.
    if (std::this_thread::get_id() == worker_id_ && store_ != nullptr) return flush(*store_);
    std::unique_lock lock(mutex_);
    if (exited_) return pending_->empty_writes();
    uint64_t ticket = ++flush_requested_;
    wake_.notify_one();
    done_.wait(lock, [&] { return flush_attempted_ >= ticket || exited_; });
    return flush_committed_ >= ticket;
}

void StorageWorker::stop() {
    std::lock_guard stop_lock(stop_mutex_);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    // From a task or the callback (the worker thread itself) we can only ask; the owner joins.
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

StorageWorker::Stats StorageWorker::stats() const {
    std::lock_guard lock(mutex_);
    Stats s = counters_;
    s.pending_pins = pending_->pins.size();
    s.pending_properties = pending_->properties.size();
    s.pending_events = pending_->events.size();
    s.pending_dashboards = pending_->dashboards.size();
    s.pending_history = history_.pending();
    return s;
}

// ---------------------------------------------------------------------------------------------
// The worker thread

void StorageWorker::run(std::string db_path, int64_t start_after_seq, std::promise<void>* opened) {
    std::unique_ptr<Store> store;
    try {
        store = std::make_unique<Store>(db_path);
        last_seq_ = start_after_seq;
        // Read data_version before the log so a commit in between is seen by the next poll.
        last_data_version_ = store->data_version();
    } catch (...) {
        opened->set_exception(std::current_exception());
        return;
    }
    store_ = store.get();
    worker_id_ = std::this_thread::get_id();
    opened->set_value();  // `opened` dies with the constructor: not touched after this
    store_log()->info("storage worker started on {} (flush every {} ms)",
                      redacted_location(db_path), flush_interval_.count());

    // Provisioning committed between the caller's load and our start.
    poll_provision(*store, true);

    auto next_flush = Clock::now() + flush_interval_;
    auto next_poll = Clock::now() + kProvisionPollInterval;
    for (;;) {
        bool stopping = false;
        bool requested = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_until(lock, std::min(next_flush, next_poll), [&] { return work_waiting(); });
            stopping = stopping_;
            requested = urgent_ || flush_requested_ > flush_attempted_;
        }
        run_tasks(*store);
        if (stopping) break;
        auto now = Clock::now();
        if (requested || now >= next_flush) {
            flush(*store);
            next_flush = Clock::now() + flush_interval_;
        }
        if (now >= next_poll) {
            poll_provision(*store, false);
            next_poll = Clock::now() + kProvisionPollInterval;
        }
        upkeep(*store, std::min(next_flush, next_poll));
    }

    bool ok = flush(*store);
    poll_provision(*store, false);
    size_t lost_pins = 0;
    size_t lost_events = 0;
    {
        std::lock_guard lock(mutex_);
        exited_ = true;
        lost_pins = pending_->pins.size();
        lost_events = pending_->events.size();
        tasks_.clear();
    }
    store_ = nullptr;
    done_.notify_all();
    if (!ok) {
        store_log()->error("storage worker stopped with unsaved data: {} pin values, {} events",
                           lost_pins, lost_events);
    } else {
        store_log()->info("storage worker stopped");
    }
}

void StorageWorker::run_tasks(Store& store) {
    bool dashboards_first = false;
    {
        std::lock_guard lock(mutex_);
        dashboards_first = !tasks_.empty() && !pending_->dashboards.empty();
    }
    // Edits made before a task (deleting or re-creating that dashboard) are written before it.
    if (dashboards_first) flush(store);
    bool ran = false;
    for (;;) {
        Task task;
        {
            std::lock_guard lock(mutex_);
            if (tasks_.empty()) break;
            task = std::move(tasks_.front());
            tasks_.pop_front();
        }
        try {
            task(store);
        } catch (const std::exception& e) {
            store_log()->error("storage task failed: {}", e.what());
        }
        ran = true;
    }
    // Our own commits do not change data_version, so look at the log explicitly.
    if (ran) poll_provision(store, true);
}

bool StorageWorker::flush(Store& store) {
    const auto attempt_started = Clock::now();
    StorageBacklog batch;
    uint64_t ticket = 0;
    {
        std::lock_guard lock(mutex_);
        // The map only grows between flushes: its size here is the interval's high-water mark.
        counters_.max_pending_pins = std::max(counters_.max_pending_pins, pending_->pins.size());
        pending_->take_values(batch);
        std::swap(batch.dashboards, pending_->dashboards);
        in_flight_values_ = batch.pins.size() + batch.properties.size();
        ticket = flush_requested_;
        urgent_ = false;
    }

    bool ok = true;
    bool values_written = batch.empty_values();
    std::string error;
    Clock::duration commit_time{};
    if (!values_written) {
        const auto started = Clock::now();
        try {
            StorageBacklog::write_values(store, batch);
            commit_time = Clock::now() - started;
            values_written = true;
        } catch (const std::exception& e) {
            ok = false;
            error = e.what();
        }
    }
    if (ok && !batch.dashboards.empty()) {
        try {
            StorageBacklog::write_dashboards(store, batch);
        } catch (const std::exception& e) {
            ok = false;
            error = e.what();
        }
    }
    if (ok) ok = flush_history(store, error);

    uint64_t dropped_values = 0;
    const size_t written_pins = batch.pins.size(), written_properties = batch.properties.size(),
                 written_seen = batch.last_seen.size(), written_events = batch.events.size();
    {
        std::lock_guard lock(mutex_);
        in_flight_values_ = 0;
        failing_ = !ok;
        dropped_values = counters_.dropped_values;
        if (values_written && !batch.empty_values()) {
            ++counters_.flushes;
            counters_.flushed_pins += written_pins;
            counters_.commit_us += static_cast<uint64_t>(
                std::chrono::duration_cast<std::chrono::microseconds>(commit_time).count());
        }
        if (ok) {
            flush_committed_ = std::max(flush_committed_, ticket);
        } else {
            ++counters_.failed_flushes;
            // Kept for the next attempt; anything put meanwhile is newer and wins, so the maps
            // stay bounded by their keys.
            pending_->give_back_dashboards(batch);
        }
        if (!values_written) {
            counters_.dropped_events += pending_->give_back_values(batch, kMaxPendingEvents);
        }
        flush_attempted_ = std::max(flush_attempted_, ticket);
    }
    done_.notify_all();

    if (!ok) {
        report_failure(error, attempt_started);
    } else if (failed_attempts_ > 0) {
        const auto seconds = std::chrono::duration<double>(Clock::now() - failing_since_).count();
        store_log()->info(
            "storage writes succeed again after {:.1f} s and {} failed attempt(s): wrote {} pin "
            "values, {} properties, {} last-seen times and {} events ({} values dropped so far)",
            seconds, failed_attempts_, written_pins, written_properties, written_seen,
            written_events, dropped_values);
        failed_attempts_ = 0;
    }
    return ok;
}

void StorageWorker::report_failure(const std::string& error,
                                   std::chrono::steady_clock::time_point attempt_started) {
    const auto now = Clock::now();
    const bool first = failed_attempts_ == 0;
    ++failed_attempts_;
    if (first) failing_since_ = attempt_started;
    if (!first && now - last_failure_log_ < kFailureLogInterval) return;
    last_failure_log_ = now;
    size_t pins = 0, properties = 0, last_seen = 0, events = 0;
    uint64_t dropped_values = 0, dropped_events = 0;
    {
        std::lock_guard lock(mutex_);
        pins = pending_->pins.size();
        properties = pending_->properties.size();
        last_seen = pending_->last_seen.size();
        events = pending_->events.size();
        dropped_values = counters_.dropped_values;
        dropped_events = counters_.dropped_events;
    }
    store_log()->error(
        "storage writes failing{}: {}; retrying every {} ms, kept meanwhile: {} pin values, {} "
        "properties, {} last-seen times, {} events (bound {} values; dropped so far: {} values, "
        "{} events)",
        first ? ""
              : fmt::format(
                    " for {} s ({} attempts)",
                    std::chrono::duration_cast<std::chrono::seconds>(now - failing_since_).count(),
                    failed_attempts_),
        error, flush_interval_.count(), pins, properties, last_seen, events, max_backlog_values_,
        dropped_values, dropped_events);
}

void StorageWorker::poll_provision(Store& store, bool force) {
    std::vector<ProvisionEvent> events;
    try {
        int64_t version = store.data_version();
        if (!force && version == last_data_version_) return;
        last_data_version_ = version;
        events = store.provision_events_after(last_seq_);
    } catch (const std::exception& e) {
        auto now = Clock::now();
        if (!poll_failing_ || now - last_poll_failure_log_ >= kWarnEvery) {
            store_log()->error("reading the provision log failed: {}", e.what());
            last_poll_failure_log_ = now;
        }
        poll_failing_ = true;
        return;
    }
    poll_failing_ = false;
    if (events.empty()) return;
    last_seq_ = events.back().seq;
    store_log()->debug("{} provisioning changes up to seq {}", events.size(), last_seq_);
    if (!on_provision_) return;
    try {
        on_provision_(std::move(events));
    } catch (const std::exception& e) {
        store_log()->error("provisioning callback failed: {}", e.what());
    }
}

}  // namespace blynk::store
