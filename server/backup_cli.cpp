#include "server/backup_cli.hpp"

#include <chrono>
#include <ctime>
#include <optional>
#include <ostream>

#include "server/store/instance_lock.hpp"
#include "server/store/migrations.hpp"
#include "server/store/sqlite_backup.hpp"
#include "server/store/store.hpp"

namespace blynk {
namespace {

constexpr int kUsageError = 2;
constexpr int kFailure = 1;

std::string describe(const store::DatabaseSummary& s) {
    auto kib = (s.bytes + 1023) / 1024;
    return std::to_string(s.users) + " user(s), " + std::to_string(s.dashboards) +
           " dashboard(s), " + std::to_string(s.devices) + " device(s), " +
           std::to_string(s.pin_values) + " pin value(s); " + std::to_string(kib) +
           " KiB, schema version " + std::to_string(s.schema_version);
}

/// The one FILE argument, or nullopt after printing the usage.
std::optional<std::filesystem::path> file_argument(const std::vector<std::string>& args,
                                                   const char* usage, CliStreams io) {
    if (args.size() != 1 || args[0].empty() || args[0].starts_with("-")) {
        io.err << usage;
        return std::nullopt;
    }
    return std::filesystem::path(args[0]);
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    return std::filesystem::equivalent(a, b, ec);
}

/// "20261207T081500Z": sorts in time order and needs no quoting.
std::string utc_stamp() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

/// Moves the database with its -wal and -shm (together, so SQLite still pairs them) to
/// `aside`.
void move_database(const std::filesystem::path& db, const std::filesystem::path& aside) {
    for (const char* suffix : {"-wal", "-shm"}) {
        const std::filesystem::path side = db.string() + suffix;
        if (std::filesystem::exists(side)) std::filesystem::rename(side, aside.string() + suffix);
    }
    std::filesystem::rename(db, aside);
}

}  // namespace

int run_backup_command(const std::filesystem::path& data_dir, const std::vector<std::string>& args,
                       CliStreams io) {
    auto file = file_argument(args, "usage: blynkd backup FILE\n", io);
    if (!file) return kUsageError;
    const auto db = store::Store::db_path(data_dir);
    if (!std::filesystem::exists(db)) {
        io.err << "error: there is no database to back up in " << data_dir.string() << "\n";
        return kFailure;
    }
    if (same_file(*file, db)) {
        io.err << "error: " << file->string() << " is the live database itself\n";
        return kFailure;
    }
    if (std::filesystem::is_directory(*file)) {
        io.err << "error: " << file->string() << " is a folder; give a file name\n";
        return kFailure;
    }
    const bool replacing = std::filesystem::exists(*file);
    try {
        const auto started = std::chrono::steady_clock::now();
        const store::DatabaseSummary summary = store::backup_database(db, *file);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
        io.out << "backup written to " << file->string() << (replacing ? " (replaced)" : "") << ": "
               << describe(summary) << "; took " << ms << " ms\n";
        io.err << "restore it with the server stopped: blynkd restore " << file->string() << "\n";
        return 0;
    } catch (const std::exception& e) {
        io.err << "error: backup failed: " << e.what() << "\n";
        return kFailure;
    }
}

int run_restore_command(const std::filesystem::path& data_dir, const std::vector<std::string>& args,
                        CliStreams io) {
    auto file = file_argument(args, "usage: blynkd restore FILE   (with the server stopped)\n", io);
    if (!file) return kUsageError;
    try {
        std::filesystem::create_directories(data_dir);
        auto lock = store::InstanceLock::try_acquire(data_dir, "restore");
        if (!lock) {
            io.err << "error: restore refused: a blynkd server is running on " << data_dir.string()
                   << " (" << store::InstanceLock::holder(data_dir)
                   << "); stop it first (blynkd backup works while it runs, restore does not)\n";
            return kFailure;
        }
        const store::DatabaseSummary checked = store::check_database(*file);
        const auto db = store::Store::db_path(data_dir);
        if (same_file(*file, db)) {
            io.err << "error: " << file->string() << " is the data folder's database itself\n";
            return kFailure;
        }
        // Copied in beside the database first: a failure here leaves the current one in place.
        const std::filesystem::path incoming = db.string() + ".restoring";
        store::backup_database(*file, incoming);
        std::filesystem::path aside;
        if (std::filesystem::exists(db)) {
            aside = db.string() + ".before-restore-" + utc_stamp();
            move_database(db, aside);
        }
        std::filesystem::rename(incoming, db);
        io.out << "restored " << file->string() << " into " << db.string() << ": "
               << describe(checked) << "\n";
        if (checked.schema_version < store::latest_schema_version()) {
            io.err << "its schema version " << checked.schema_version
                   << " is older; the server migrates it to version "
                   << store::latest_schema_version() << " when it starts\n";
        }
        if (!aside.empty()) io.err << "the replaced database is kept as " << aside.string() << "\n";
        io.err << "start the server to use it\n";
        return 0;
    } catch (const std::exception& e) {
        io.err << "error: restore failed: " << e.what() << "\n";
        return kFailure;
    }
}

}  // namespace blynk
