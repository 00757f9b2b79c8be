#pragma once
// Internal to HistoryStore: its SQL, prepared once per connection. Point tables come per level
// (0 raw, 1 minute, 2 hour, 3 day); "bucket" parameters are the target level's bucket length.

#include <array>
#include <memory>
#include <string>

#include "server/store/history_store.hpp"
#include "server/store/sql_handle.hpp"

namespace blynk::store {

inline constexpr std::array<const char*, 4> kHistoryTables{"history_raw", "history_minute",
                                                           "history_hour", "history_day"};

/// Columns (bucket start, avg, min, max, count) of `level`'s rows in [?2, ?3) of series ?1,
/// grouped into buckets of ?4 ms.
inline std::string history_grouped(size_t level) {
    const std::string table = kHistoryTables[level];
    const std::string columns =
        level == 0 ? "avg(value), min(value), max(value), count(*)"
                   : "sum(value * count) / sum(count), min(min), max(max), sum(count)";
    return "SELECT time_ms - time_ms % ?4 AS bucket, " + columns + " FROM " + table +
           " WHERE series = ?1 AND time_ms >= ?2 AND time_ms < ?3 GROUP BY bucket ORDER BY bucket";
}

struct HistoryStore::Statements {
    explicit Statements(Database& db)
        : find_series(db,
                      "SELECT id FROM history_series WHERE user_email = ?1 AND dash_id = ?2 AND "
                      "device_id = ?3 AND pin = ?4",
                      "find history series"),
          insert_series(db,
                        "INSERT INTO history_series (user_email, dash_id, device_id, pin) "
                        "VALUES (?1, ?2, ?3, ?4)",
                        "add history series"),
          device_series(db,
                        "SELECT id FROM history_series WHERE user_email = ?1 AND dash_id = ?2 AND "
                        "device_id = ?3",
                        "list history series of a device"),
          delete_series(db, "DELETE FROM history_series WHERE id = ?1", "delete history series"),
          series_exists(db, "SELECT 1 FROM history_series WHERE id = ?1", "look up series"),
          live_series(db, "SELECT id FROM history_series ORDER BY id", "list history series"),
          user_points(db,
                      "SELECT COALESCE(SUM(points), 0) FROM history_series WHERE user_email = ?1",
                      "count history points"),
          add_points(db,
                     "UPDATE history_series SET points = CASE WHEN points + ?2 > 0 THEN "
                     "points + ?2 ELSE 0 END WHERE id = ?1",
                     "count history points"),
          insert_raw(db,
                     "INSERT INTO history_raw (series, time_ms, seq, value) "
                     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                     "append history"),
          read_progress(db, "SELECT level, done_ms FROM history_progress", "read history rollup"),
          write_progress(db,
                         "INSERT INTO history_progress (level, done_ms) VALUES (?1, ?2) "
                         "ON CONFLICT (level) DO UPDATE SET done_ms = excluded.done_ms",
                         "save history rollup"),
          next_purge(db, "SELECT series FROM history_purge ORDER BY series LIMIT 1",
                     "find deleted history"),
          purge_done(db, "DELETE FROM history_purge WHERE series = ?1", "finish history purge"),
          expire_events(db,
                        "DELETE FROM device_events WHERE id IN (SELECT id FROM device_events "
                        "WHERE time_ms < ?1 ORDER BY time_ms LIMIT ?2)",
                        "expire device events") {
        if (db.dialect() == Dialect::Postgres) {
            insert_raw_arrays = std::make_unique<Statement>(
                db,
                "INSERT INTO history_raw (series, time_ms, seq, value) SELECT ?1, * FROM "
                "unnest(CAST(?2 AS BIGINT[]), CAST(?3 AS BIGINT[]), "
                "CAST(?4 AS DOUBLE PRECISION[])) ON CONFLICT DO NOTHING RETURNING time_ms, seq",
                "append history");
        }
        for (size_t level = 0; level < 4; ++level) {
            const std::string table = kHistoryTables[level];
            const std::string columns =
                level == 0 ? "time_ms, value, value, value, 1" : "time_ms, value, min, max, count";
            const std::string range =
                " FROM " + table + " WHERE series = ?1 AND time_ms >= ?2 AND time_ms < ?3 ";
            const std::string order = level == 0 ? "time_ms, seq" : "time_ms";
            const std::string order_desc = level == 0 ? "time_ms DESC, seq DESC" : "time_ms DESC";
            read_up[level] = std::make_unique<Statement>(
                db, "SELECT " + columns + range + "ORDER BY " + order + " LIMIT ?4",
                "read history");
            read_down[level] = std::make_unique<Statement>(
                db, "SELECT " + columns + range + "ORDER BY " + order_desc + " LIMIT ?4",
                "read history");
            grouped[level] =
                std::make_unique<Statement>(db, history_grouped(level), "aggregate history");
            first_time[level] = std::make_unique<Statement>(
                db,
                "SELECT min((SELECT time_ms FROM " + table +
                    " WHERE series = s.id AND time_ms >= ?1 ORDER BY time_ms LIMIT 1)) "
                    "FROM history_series AS s",
                "find oldest history");
            expire[level] = std::make_unique<Statement>(
                db, "DELETE FROM " + table + " WHERE series = ?1 AND time_ms < ?2",
                "expire history");
            // Deletes at most ?2 rows (those before the (?2 + 1)-th one's time).
            purge_some[level] = std::make_unique<Statement>(
                db,
                "DELETE FROM " + table + " WHERE series = ?1 AND time_ms < COALESCE((SELECT " +
                    "time_ms FROM " + table +
                    " WHERE series = ?1 ORDER BY time_ms LIMIT 1 OFFSET ?2), "
                    "9223372036854775807)",
                "purge deleted history");
            purge_all[level] = std::make_unique<Statement>(
                db, "DELETE FROM " + table + " WHERE series = ?1", "purge deleted history");
            if (level == 0) continue;
            rollup[level] = std::make_unique<Statement>(
                db,
                "INSERT INTO " + table +
                    " (series, time_ms, value, min, max, count) SELECT ?1, * FROM (" +
                    history_grouped(level - 1) + ") AS finer WHERE true ON CONFLICT DO NOTHING",
                "roll up history");
            delete_bucket[level] = std::make_unique<Statement>(
                db, "DELETE FROM " + table + " WHERE series = ?1 AND time_ms = ?2",
                "rebuild history bucket");
        }
    }

    Statement find_series, insert_series, device_series, delete_series, series_exists, live_series,
        user_points, add_points, insert_raw, read_progress, write_progress, next_purge, purge_done,
        expire_events;
    /// PostgreSQL only: a series' points as arrays, answering the keys written.
    std::unique_ptr<Statement> insert_raw_arrays;
    using PerLevel = std::array<std::unique_ptr<Statement>, 4>;
    PerLevel read_up, read_down, grouped, first_time, expire, purge_some, purge_all, rollup,
        delete_bucket;
};

}  // namespace blynk::store
