#pragma once
// Where the data folder lives. The Java server defaulted to <java tmpdir>/blynk, which loses every
// user on reboot; blynkd never defaults to a temporary folder and refuses one unless told to.

#include <filesystem>
#include <optional>
#include <string>

#include "config/settings.hpp"

namespace blynk::config {

/// The parts of the process environment that decide the default data folder.
struct DataDirEnv {
    std::optional<std::string> blynkd_data_dir;  ///< $BLYNKD_DATA_DIR (unset when empty)
    std::optional<std::string> xdg_data_home;    ///< $XDG_DATA_HOME (unset when empty)
    std::optional<std::string> home;             ///< $HOME (unset when empty)
    bool is_root = false;                        ///< effective user id is 0
    bool var_lib_exists = false;                 ///< /var/lib is a directory
};

/// Reads DataDirEnv from this process.
DataDirEnv current_data_dir_env();

/// The data folder used when none is configured, first match wins: $BLYNKD_DATA_DIR; as root with
/// /var/lib present, /var/lib/blynkd; $XDG_DATA_HOME/blynkd (if absolute);
/// $HOME/.local/share/blynkd. Throws ConfigError when none applies.
std::filesystem::path default_data_folder(const DataDirEnv& env);

/// default_data_folder(current_data_dir_env()).
std::filesystem::path default_data_folder();

/// True when `folder` is /tmp, /var/tmp or inside one of them, by its absolute name or after
/// following symbolic links.
bool is_temporary_path(const std::filesystem::path& folder);

/// Throws ConfigError when `folder` is a temporary path and `allow_tmp` is false.
void check_data_folder(const std::filesystem::path& folder, bool allow_tmp);

/// True when the environment variable BLYNKD_ALLOW_TMP_DATA is "1" (tests set it).
bool tmp_data_allowed();

/// The data folder to use: settings.data_folder, or default_data_folder() when it is empty, made
/// absolute (relative to the current directory) and normalised. Throws ConfigError when it is
/// under /tmp or /var/tmp unless BLYNKD_ALLOW_TMP_DATA=1. Does not create the folder.
std::filesystem::path resolve_data_folder(const Settings& settings);

}  // namespace blynk::config
