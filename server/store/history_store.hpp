#pragma once
// The history of pin values in blynkd.db (schema version 4): raw points for a retention window,
// and minute, hour and day aggregates (average, min, max, count) rolled up from them. Appends come
// in batches from the storage worker; rollup, retention and the purge of deleted series run in
// small steps (maintain()) between the worker's flushes. Runs on the connection of the
// Store that owns it; not thread-safe.
//
// Each aggregate level is complete below its watermark (history_progress): minutes below
// W_minute, hours below W_hour <= W_minute, days below W_day <= W_hour. A query at a level reads
// that level's table below its watermark and aggregates the finer levels above it, so a chart
// sees the current hour before it is rolled up. Retention never deletes a level's rows that the
// next level has not taken yet.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/model/history.hpp"
#include "server/model/pin.hpp"
#include "server/store/sql_handle.hpp"

namespace blynk::store {

/// One point to append. `email` is a view valid for the call.
struct HistoryWrite {
    std::string_view email;
    int dash_id = 0;
    int device_id = 0;
    model::PinKey pin;
    double value = 0;
    int64_t time_ms = 0;
};

/// How long each level is kept and how much a user may store (history.* keys).
struct HistorySettings {
    static constexpr int64_t kDay = 86'400'000;
    int64_t raw_keep_ms = 7 * kDay;         ///< history.raw.days
    int64_t minute_keep_ms = 30 * kDay;     ///< history.minute.days
    int64_t hour_keep_ms = 400 * kDay;      ///< history.hour.days
    int64_t day_keep_ms = 3650 * kDay;      ///< history.day.days
    uint64_t user_max_points = 20'000'000;  ///< history.user.max.points (rows of every level)
    int64_t events_keep_ms = 90 * kDay;     ///< history.events.days
    /// A minute is rolled up this long after it ended (points arrive up to a flush later).
    int64_t settle_ms = 5'000;
};

/// What one append did.
struct HistoryAppended {
    uint64_t stored = 0;     ///< points written
    uint64_t over_cap = 0;   ///< points refused: their user reached history.user.max.points
    uint64_t no_device = 0;  ///< points of devices that no longer exist
};

class HistoryStore {
public:
    /// Prepares statements and reads the rollup watermarks. Throws StoreError.
    explicit HistoryStore(Database& db);
    ~HistoryStore();
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    void configure(const HistorySettings& settings) { settings_ = settings; }
    const HistorySettings& settings() const { return settings_; }

    /// Writes the points in one transaction (every point kept, also several in one
    /// millisecond). Points of a user at the cap are refused (logged when it is reached, then at
    /// most hourly per user). Throws StoreError (nothing is written then).
    HistoryAppended append(std::span<const HistoryWrite> points);

    /// The stored points of one pin in [from_ms, to_ms) at the query's resolution, oldest first.
    std::vector<model::HistoryPoint> query(const std::string& email, int dash_id, int device_id,
                                           model::PinKey pin, const model::HistoryQuery& q);

    /// Deletes the history of one pin of a device, or of all its pins; returns how many series
    /// (pins) had history. Their points are purged by later maintain() steps; queries no longer
    /// see them. Committed before returning.
    size_t delete_series(const std::string& email, int dash_id, int device_id,
                         std::optional<model::PinKey> pin);

    /// Rows of every level stored for a user (what history.user.max.points bounds).
    uint64_t user_points(const std::string& email);

    /// One small step of upkeep as of `now_ms`: re-aggregating buckets that received late
    /// points, rolling up, expiring levels and device events, purging deleted series. Each step
    /// is its own short transaction. Returns true when more work is waiting (call again soon).
    /// Throws StoreError.
    bool maintain(int64_t now_ms);

private:
    struct Statements;
    using Level = size_t;  // 0 raw, 1 minute, 2 hour, 3 day
    static constexpr Level kLevels = 4;

    /// The series id of a pin, creating it when `create`; nullopt when missing or (creating)
    /// when the device does not exist.
    std::optional<int64_t> series_id(std::string_view email, int dash_id, int device_id,
                                     model::PinKey pin, bool create);
    /// Aggregates of `level` (>= 1) computed from table `source` (< level) in [from, to),
    /// appended to `out` merging with its last bucket.
    void aggregate_from(Level source, Level level, int64_t series, int64_t from, int64_t to,
                        std::vector<model::HistoryPoint>& out);
    void read_level(Level level, int64_t series, int64_t from, int64_t to, size_t limit,
                    bool newest_first, std::vector<model::HistoryPoint>& out);
    /// The earliest time >= `from` in `level` over all live series; nullopt when none.
    std::optional<int64_t> first_time(Level level, int64_t from);
    /// One raw point of a series to write.
    struct RawPoint {
        int64_t time_ms;
        int64_t seq;
        double value;
    };
    /// Writes the points of one series; a point whose (time, seq) is taken gets the next free
    /// seq (written back into `points`).
    void write_raw(int64_t series, std::vector<RawPoint>& points);
    void set_progress(Level level, int64_t done_ms);
    void add_points(int64_t series, int64_t delta);

    bool redo_late_buckets();
    bool rollup(Level level, int64_t now_ms);
    bool expire(Level level, int64_t now_ms);
    bool expire_events(int64_t now_ms);
    bool purge_deleted();
    /// Re-aggregates `level`'s bucket at `bucket_ms` of `series` from the level below.
    void rebuild_bucket(Level level, int64_t series, int64_t bucket_ms);
    /// Ids of the live series, ascending.
    std::vector<int64_t> live_series();
    void warn_cap(const std::string& email, uint64_t stored);

    Database& db_;
    std::unique_ptr<Statements> st_;
    HistorySettings settings_;
    std::array<int64_t, kLevels> progress_{};  ///< watermarks; [0] unused
    /// Time span per step of rollup/expiry per level, adapted to keep steps short.
    std::array<int64_t, kLevels> rollup_span_{};
    std::array<int64_t, kLevels> expire_span_{};
    /// Wall time before which a level (the event log) has nothing to expire.
    std::array<int64_t, kLevels> expire_due_{};
    int64_t events_due_ = 0;
    /// Per series: the last appended (time, seq), so points of one millisecond get seq 1, 2, ...
    std::unordered_map<int64_t, std::pair<int64_t, int64_t>> last_seq_;
    /// Minute buckets (series, bucket start) that received points after their rollup.
    std::set<std::pair<int64_t, int64_t>> late_;
    std::map<std::string, std::chrono::steady_clock::time_point> cap_warned_;
};

}  // namespace blynk::store
