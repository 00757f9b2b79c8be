#pragma once
// Copies and checks of whole database files, for `blynkd backup` and `blynkd restore`. The copy
// uses SQLite's online backup API from one read snapshot, so it is consistent while a server
// keeps writing (in WAL mode a reader never blocks the writer).

#include <chrono>
#include <cstdint>
#include <filesystem>

namespace blynk::store {

/// What a database file holds, for reports.
struct DatabaseSummary {
    int schema_version = 0;  ///< PRAGMA user_version
    int64_t users = 0;
    int64_t dashboards = 0;
    int64_t devices = 0;
    int64_t pin_values = 0;
    uintmax_t bytes = 0;  ///< the file's size
};

/// How the copy is paced: pages copied per step, and the pause between steps that leaves the
/// disk to the server.
struct BackupPace {
    int pages_per_step = 256;
    std::chrono::milliseconds pause{5};
};

/// Copies the database `source` (which must exist; a server may be writing to it) to `target`:
/// every row committed before the copy began and nothing committed after. The copy is written
/// to "TARGET.tmp-PID" beside `target`, passes PRAGMA integrity_check, is made a single file
/// (journal_mode=DELETE), synced, and then renamed over `target`; on failure the temp file is
/// removed and `target` is untouched. Returns the copy's summary. Throws StoreError.
DatabaseSummary backup_database(const std::filesystem::path& source,
                                const std::filesystem::path& target, BackupPace pace = {});

/// Checks that `file` is a blynkd database this blynkd can use: it opens, PRAGMA integrity_check
/// says ok, it has blynkd's tables, and its schema version is at most the newest this code
/// knows (older ones are migrated when a server opens them). Returns its summary; throws
/// StoreError saying what is wrong.
DatabaseSummary check_database(const std::filesystem::path& file);

}  // namespace blynk::store
