#include "server/store/sqlite_backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "server/store/migrations.hpp"
#include "server/store/sql_handle.hpp"

namespace blynk::store {
namespace {

std::string first_text(Database& db, const std::string& sql, const char* purpose) {
    Statement st(db, sql, purpose);
    return st.step() ? st.column_text(0) : std::string();
}

int64_t count_rows(Database& db, const char* table) {
    Statement st(db, std::string("SELECT COUNT(*) FROM ") + table, std::string("count ") + table);
    return st.step() ? st.column_int64(0) : 0;
}

/// PRAGMA integrity_check's verdict: empty when "ok", else its first lines.
std::string integrity_problems(Database& db) {
    Statement st(db, "PRAGMA integrity_check(5)", "check integrity");
    std::string problems;
    while (st.step()) {
        const std::string line = st.column_text(0);
        if (line == "ok") continue;
        if (!problems.empty()) problems += "; ";
        problems += line;
    }
    return problems;
}

/// Integrity, blynkd's tables and the schema version of an open database; the counts of rows.
DatabaseSummary summarize(Database& db) {
    const std::string problems = integrity_problems(db);
    if (!problems.empty()) {
        throw StoreError(db.path() + " is damaged (integrity_check: " + problems + ")");
    }
    DatabaseSummary summary;
    summary.schema_version = schema_version(db);
    const std::string users_table =
        first_text(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'users'",
                   "look for the users table");
    if (summary.schema_version == 0 || users_table.empty()) {
        throw StoreError(db.path() + " is an SQLite database but not one of blynkd's");
    }
    if (summary.schema_version > latest_schema_version()) {
        throw StoreError(db.path() + " has schema version " +
                         std::to_string(summary.schema_version) + ", written by a newer blynkd; " +
                         "this one knows up to " + std::to_string(latest_schema_version()));
    }
    summary.users = count_rows(db, "users");
    summary.dashboards = count_rows(db, "dashboards");
    summary.devices = count_rows(db, "devices");
    summary.pin_values = count_rows(db, "pin_values");
    return summary;
}

void fsync_path(const std::filesystem::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw StoreError("open " + path.string() + " to sync it failed");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw StoreError("sync " + path.string() + " failed");
}

void require_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        throw StoreError(file.string() + " does not exist or is not a file");
    }
}

/// Copies `src` into `dst` with the online backup API. On a WAL database the copy reads from
/// one snapshot (a read transaction held across all steps), so writes by the server neither
/// wait for it nor restart it; the pause between steps leaves the disk to the server. Without
/// WAL a held snapshot would block the server's commits, so the copy is done in one step.
/// "purpose: SQLite's message (db PATH)" for `db`'s current error.
StoreError backup_error(const Database& db, const std::string& purpose, int code) {
    return StoreError(
        purpose + ": " + sqlite3_errmsg(db.sqlite_handle()) + " (db " + db.path() + ")", code);
}

void copy_pages(Database& src, Database& dst, BackupPace pace) {
    const bool wal = first_text(src, "PRAGMA journal_mode", "read journal mode") == "wal";
    if (wal) {
        src.exec("BEGIN", "begin read snapshot");
        first_text(src, "SELECT COUNT(*) FROM sqlite_schema", "take read snapshot");
    }
    sqlite3_backup* backup =
        sqlite3_backup_init(dst.sqlite_handle(), "main", src.sqlite_handle(), "main");
    if (backup == nullptr) {
        throw backup_error(dst, "start backup", sqlite3_extended_errcode(dst.sqlite_handle()));
    }
    const int pages = wal ? pace.pages_per_step : -1;
    int rc = SQLITE_OK;
    for (;;) {
        rc = sqlite3_backup_step(backup, pages);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
        std::this_thread::sleep_for(pace.pause);
    }
    const int finish = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) throw backup_error(dst, "copy pages from " + src.path(), rc);
    if (finish != SQLITE_OK) throw backup_error(dst, "finish backup", finish);
    if (wal) src.exec("COMMIT", "end read snapshot");
}

}  // namespace

DatabaseSummary backup_database(const std::filesystem::path& source,
                                const std::filesystem::path& target, BackupPace pace) {
    require_file(source);
    const std::filesystem::path temp =
        target.string() + ".tmp-" + std::to_string(static_cast<long>(::getpid()));
    std::filesystem::remove(temp);
    DatabaseSummary summary;
    try {
        {
            Database src(source.string());
            Database dst(temp.string());
            copy_pages(src, dst, pace);
            // One self-contained file: no -wal beside it to forget when it is copied elsewhere.
            first_text(dst, "PRAGMA journal_mode=DELETE", "make the copy a single file");
            summary = summarize(dst);
        }
        fsync_path(temp, O_RDONLY);
        std::filesystem::rename(temp, target);
        fsync_path(target.has_parent_path() ? target.parent_path() : ".", O_RDONLY | O_DIRECTORY);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        throw;
    }
    summary.bytes = std::filesystem::file_size(target);
    return summary;
}

DatabaseSummary check_database(const std::filesystem::path& file) {
    require_file(file);
    DatabaseSummary summary;
    try {
        Database db(file.string());
        summary = summarize(db);
    } catch (const StoreError& e) {
        if ((e.sqlite_code() & 0xff) == SQLITE_NOTADB) {
            throw StoreError(file.string() + " is not an SQLite database", e.sqlite_code());
        }
        throw;
    }
    summary.bytes = std::filesystem::file_size(file);
    return summary;
}

}  // namespace blynk::store
