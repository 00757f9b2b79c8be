// The storage worker's history path: points are queued apart from the coalesced pin values
// (every point is kept), written with each flush in their own transaction, and the history's
// upkeep (rollup, retention, purge) runs in short steps while the worker would otherwise wait.

#include <exception>

#include "common/util/clock.hpp"
#include "server/store/storage_worker.hpp"

namespace blynk::store {

namespace {

using Clock = std::chrono::steady_clock;
/// Nothing to do, or a step failed: look again after this long.
constexpr std::chrono::seconds kUpkeepIdle{1};
constexpr std::chrono::seconds kUpkeepRetry{10};

}  // namespace

void StorageWorker::put_history(const std::string& email, std::vector<HistoryUpdate> points) {
    bool wake = false;
    bool warn = false;
    uint64_t dropped = 0;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        const size_t refused = history_.put(email, std::move(points));
        if (refused > 0) {
            dropped = counters_.dropped_history += refused;
            warn = drop_warning_due();
        }
        // Half full: flush early rather than wait out the interval and start dropping.
        if (!urgent_ && history_.urgent()) urgent_ = wake = true;
    }
    if (wake) wake_.notify_one();
    if (warn) {
        store_log()->warn(
            "history backlog full ({} points waiting, history.backlog.max.points): new points "
            "are dropped, {} so far",
            history_.max_points(), dropped);
    }
}

void StorageWorker::configure_history(const HistorySettings& settings, size_t max_pending_points) {
    history_.set_max_points(max_pending_points);
    post([settings](Store& store) { store.history().configure(settings); });
}

bool StorageWorker::flush_history(Store& store, std::string& error) {
    HistoryBacklog::Batch batch = history_.take();
    if (batch.empty()) return true;
    try {
        const HistoryAppended appended = store.history().append(batch);
        history_.finished(std::move(batch), false);
        std::lock_guard lock(mutex_);
        counters_.flushed_history += appended.stored;
        counters_.history_over_cap += appended.over_cap;
        return true;
    } catch (const std::exception& e) {
        error = e.what();
        const size_t dropped = history_.finished(std::move(batch), true);
        std::lock_guard lock(mutex_);
        counters_.dropped_history += dropped;
        return false;
    }
}

bool StorageWorker::work_waiting() const {
    return stopping_ || urgent_ || flush_requested_ > flush_attempted_ || !tasks_.empty();
}

void StorageWorker::upkeep(Store& store, Clock::time_point until) {
    while (Clock::now() >= upkeep_resumes_ && Clock::now() < until) {
        {
            std::lock_guard lock(mutex_);
            if (work_waiting()) return;
        }
        try {
            if (!store.history().maintain(util::now_ms())) {
                upkeep_resumes_ = Clock::now() + kUpkeepIdle;
                return;
            }
        } catch (const std::exception& e) {
            store_log()->error("history upkeep failed (retried in {} s): {}", kUpkeepRetry.count(),
                               e.what());
            upkeep_resumes_ = Clock::now() + kUpkeepRetry;
            return;
        }
    }
}

}  // namespace blynk::store
