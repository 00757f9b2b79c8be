#pragma once
// `blynkd import-java DIR [--dry-run] [--overwrite]`: brings the users of a Java blynk-server
// data folder into blynkd's database, with the tokens their boards use and the passwords their
// apps send. The server must be stopped (it loads dashboards only at start-up), which the data
// folder's instance lock checks.

#include <filesystem>
#include <string>
#include <vector>

#include "server/admin_cli.hpp"

namespace blynk::java_import {

/// Runs the import and prints, per user file, what was imported, left unchanged, refused or
/// skipped and why. With --dry-run it prints the same plan and writes nothing; without
/// --overwrite an existing user with other data is refused. Returns the exit code: 0 when every
/// file was imported or already was, 1 when something was refused, skipped or failed, or the
/// server runs, 2 on a usage error.
int run_import_command(const std::filesystem::path& data_dir, const std::vector<std::string>& args,
                       CliStreams io);

}  // namespace blynk::java_import
