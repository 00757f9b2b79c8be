// HistoryStore's upkeep: rollup of closed buckets into the next level, retention per level and
// of device events, re-aggregation of buckets that got late points, and the purge of deleted
// series. Every step is one short transaction, so the storage worker's commits of pin values
// wait at most one step.

#include <algorithm>

#include "server/store/history_statements.hpp"
#include "server/store/history_store.hpp"

namespace blynk::store {

namespace {

using SteadyClock = std::chrono::steady_clock;

/// A step should take about this long; the time span it covers adapts to hit it.
constexpr auto kStepTarget = std::chrono::milliseconds(20);
constexpr size_t kLateBucketsPerStep = 200;
constexpr int64_t kPurgeRowsPerStep = 20'000;
constexpr int64_t kEventsPerStep = 5'000;
/// How long to wait before looking again at a level (or the event log) with nothing to expire.
constexpr int64_t kIdleExpiryCheckMs = 60'000;

int64_t bucket_of(size_t level) {
    return model::bucket_ms(static_cast<model::HistoryResolution>(level));
}

int64_t floor_to(int64_t t, int64_t bucket) {
    return t - t % bucket;
}

/// Doubles or halves `span` (kept between `min` and `max`) after a step that took `took`.
void adapt(int64_t& span, SteadyClock::duration took, int64_t min, int64_t max) {
    if (took < kStepTarget / 2) span = std::min(span * 2, max);
    if (took > kStepTarget * 2) span = std::max(span / 2, min);
}

}  // namespace

bool HistoryStore::maintain(int64_t now_ms) {
    if (redo_late_buckets()) return true;
    for (Level level = 1; level < kLevels; ++level)
        if (rollup(level, now_ms)) return true;
    for (Level level = 0; level < kLevels; ++level)
        if (expire(level, now_ms)) return true;
    if (expire_events(now_ms)) return true;
    return purge_deleted();
}

std::optional<int64_t> HistoryStore::first_time(Level level, int64_t from) {
    StatementScope st(*st_->first_time[level]);
    st->bind_int(1, from);
    if (!st->step() || st->column_is_null(0)) return std::nullopt;
    return st->column_int64(0);
}

void HistoryStore::rebuild_bucket(Level level, int64_t series, int64_t bucket_ms) {
    int64_t delta = 0;
    {
        StatementScope st(*st_->delete_bucket[level]);
        st->bind_int(1, series);
        st->bind_int(2, bucket_ms);
        st->run();
        delta -= db_.changes();
    }
    StatementScope st(*st_->rollup[level]);
    st->bind_int(1, series);
    st->bind_int(2, bucket_ms);
    st->bind_int(3, bucket_ms + bucket_of(level));
    st->bind_int(4, bucket_of(level));
    st->run();
    delta += db_.changes();
    add_points(series, delta);
}

bool HistoryStore::redo_late_buckets() {
    if (late_.empty()) return false;
    const SynchronousNormal relaxed(db_);
    Transaction tx(db_);
    for (size_t n = 0; n < kLateBucketsPerStep && !late_.empty(); ++n) {
        const auto [series, minute] = *late_.begin();
        late_.erase(late_.begin());
        StatementScope exists(st_->series_exists);
        exists->bind_int(1, series);
        if (!exists->step()) continue;  // deleted meanwhile: its points are being purged
        // The minute, then the hour and day containing it when those were rolled up already.
        for (Level level = 1; level < kLevels; ++level) {
            const int64_t bucket = floor_to(minute, bucket_of(level));
            if (bucket >= progress_[level]) break;
            rebuild_bucket(level, series, bucket);
        }
    }
    tx.commit();
    return true;
}

bool HistoryStore::rollup(Level level, int64_t now_ms) {
    const int64_t bucket = bucket_of(level);
    // Minutes settle a little after they end; an hour (day) is closed once its minutes (hours)
    // are all rolled up.
    const int64_t target = level == 1 ? floor_to(now_ms - settings_.settle_ms, bucket)
                                      : floor_to(progress_[level - 1], bucket);
    if (progress_[level] >= target) return false;
    const auto started = SteadyClock::now();
    if (rollup_span_[level] == 0) rollup_span_[level] = bucket * 10;

    const Level source = level - 1;
    const auto next = first_time(source, progress_[level]);
    int64_t done = target;
    const SynchronousNormal relaxed(db_);
    Transaction tx(db_);
    if (next && *next < target) {
        const int64_t start = floor_to(*next, bucket);
        done = std::min(target, start + rollup_span_[level]);
        for (int64_t series : live_series()) {
            StatementScope st(*st_->rollup[level]);
            st->bind_int(1, series);
            st->bind_int(2, start);
            st->bind_int(3, done);
            st->bind_int(4, bucket);
            st->run();
            add_points(series, db_.changes());
        }
    }
    set_progress(level, done);
    tx.commit();
    progress_[level] = done;
    adapt(rollup_span_[level], SteadyClock::now() - started, bucket, bucket * 24 * 60);
    return true;
}

bool HistoryStore::expire(Level level, int64_t now_ms) {
    const std::array keep{settings_.raw_keep_ms, settings_.minute_keep_ms, settings_.hour_keep_ms,
                          settings_.day_keep_ms};
    if (keep[level] <= 0 || now_ms < expire_due_[level]) return false;  // 0: kept forever
    int64_t cutoff = now_ms - keep[level];
    // Never what the next level has not taken yet.
    if (level + 1 < kLevels) cutoff = std::min(cutoff, progress_[level + 1]);
    const auto oldest = first_time(level, 0);
    if (!oldest || *oldest >= cutoff) {
        // Nothing to expire before the oldest row ages past the cutoff, unless the cutoff was
        // held back by the next level's rollup (which moves on sooner).
        const bool held = cutoff < now_ms - keep[level];
        expire_due_[level] =
            now_ms +
            (oldest && !held ? std::max(*oldest - cutoff, kIdleExpiryCheckMs) : kIdleExpiryCheckMs);
        return false;
    }
    const auto started = SteadyClock::now();
    const int64_t bucket = std::max<int64_t>(bucket_of(level), 60'000);
    if (expire_span_[level] == 0) expire_span_[level] = bucket * 60;
    const int64_t end = std::min(cutoff, *oldest + expire_span_[level]);
    const SynchronousNormal relaxed(db_);
    Transaction tx(db_);
    for (int64_t series : live_series()) {
        StatementScope st(*st_->expire[level]);
        st->bind_int(1, series);
        st->bind_int(2, end);
        st->run();
        add_points(series, -db_.changes());
    }
    tx.commit();
    adapt(expire_span_[level], SteadyClock::now() - started, bucket, bucket * 24 * 3650);
    return true;
}

bool HistoryStore::expire_events(int64_t now_ms) {
    if (settings_.events_keep_ms <= 0 || now_ms < events_due_) return false;
    StatementScope st(st_->expire_events);
    st->bind_int(1, now_ms - settings_.events_keep_ms);
    st->bind_int(2, kEventsPerStep);
    st->run();
    if (db_.changes() > 0) return true;
    events_due_ = now_ms + kIdleExpiryCheckMs;
    return false;
}

bool HistoryStore::purge_deleted() {
    int64_t series = 0;
    {
        StatementScope st(st_->next_purge);
        if (!st->step()) return false;
        series = st->column_int64(0);
    }
    late_.erase(late_.lower_bound({series, INT64_MIN}), late_.lower_bound({series + 1, INT64_MIN}));
    const SynchronousNormal relaxed(db_);
    Transaction tx(db_);
    int64_t left = kPurgeRowsPerStep;
    for (Level level = 0; level < kLevels && left > 0; ++level) {
        StatementScope st(*st_->purge_some[level]);
        st->bind_int(1, series);
        st->bind_int(2, left);
        st->run();
        left -= db_.changes();
    }
    if (left > 0) {
        // Fewer rows than a step's worth were left (or rows sharing one time stood at the
        // boundary): take the rest and finish.
        for (Level level = 0; level < kLevels; ++level) {
            StatementScope st(*st_->purge_all[level]);
            st->bind_int(1, series);
            st->run();
        }
        StatementScope st(st_->purge_done);
        st->bind_int(1, series);
        st->run();
    }
    tx.commit();
    return true;
}

}  // namespace blynk::store
