#pragma once
// `blynkd backup FILE` and `blynkd restore FILE`. Backup runs beside a live server (it reads one
// consistent snapshot of the database); restore replaces the data folder's database and so
// refuses to run while a server holds the data folder's instance lock.

#include <filesystem>
#include <string>
#include <vector>

#include "server/admin_cli.hpp"

namespace blynk {

/// `backup FILE`: writes a consistent copy of data_dir's database to FILE (replacing it) and
/// prints what it holds. Returns the process exit code (0 done, 1 failed, 2 usage).
int run_backup_command(const std::filesystem::path& data_dir, const std::vector<std::string>& args,
                       CliStreams io);

/// `restore FILE`: checks FILE (an SQLite database of blynkd's, intact, of a schema version this
/// blynkd knows) and makes it data_dir's database; the database it replaces is kept beside it
/// as blynkd.db.before-restore-<UTC time>. Refused while a server runs on data_dir. Returns the
/// process exit code (0 done, 1 refused or failed, 2 usage).
int run_restore_command(const std::filesystem::path& data_dir, const std::vector<std::string>& args,
                        CliStreams io);

}  // namespace blynk
