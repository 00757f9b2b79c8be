#pragma once
// The provisioning subcommands (`blynkd user ...`, `blynkd device ...`). They work on the data
// folder's database directly and are safe while the server runs: every change is committed
// before it is printed, and the running server picks it up from the database within a second.

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace blynk {

struct CliStreams {
    std::ostream& out;  ///< results (a token, a table)
    std::ostream& err;  ///< errors and notes
};

/// `user add EMAIL [--password PASS]` (the e-mail is stored lower-cased, as the app logs in),
/// `user password EMAIL [--password PASS]` (without --password: one line read from stdin),
/// `user list`. A password is stored so that the Blynk app can log in with it. Returns the
/// process exit code.
int run_user_command(const config::Settings& settings, const std::filesystem::path& data_dir,
                     const std::vector<std::string>& args, CliStreams io);

/// `device add EMAIL [--name NAME] [--board BOARD] [--dash ID]`, `device list [EMAIL]`,
/// `device token-refresh TOKEN`. Returns the process exit code.
int run_device_command(const config::Settings& settings, const std::filesystem::path& data_dir,
                       const std::vector<std::string>& args, CliStreams io);

}  // namespace blynk
