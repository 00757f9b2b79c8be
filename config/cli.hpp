#pragma once
// The command line: global options (including the Java launcher's single-dash flags), the
// subcommand and its arguments, and load_config(), which puts defaults, the properties file and
// the command line together:  built-in defaults < properties file < command-line options.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/keys.hpp"
#include "config/settings.hpp"

namespace blynk::config {

/// What blynkd was asked to do: the first word on the command line that is not an option.
enum class Subcommand {
    Run,         ///< start the server (also when no subcommand is given)
    User,        ///< user administration, e.g. `user add EMAIL [--password PASS]`
    Device,      ///< device administration, e.g. `device add EMAIL ...`, `device list [EMAIL]`
    Backup,      ///< `backup FILE`: a consistent copy of the database, also while the server runs
    Restore,     ///< `restore FILE`: make a backup the database (the server must be stopped)
    ImportJava,  ///< `import-java DIR [--dry-run] [--overwrite]`: users of a Java server
};

/// "run", "user", "device", "backup", "restore" or "import-java".
std::string_view subcommand_name(Subcommand subcommand);

/// One key set from the command line, in command-line order.
struct CliOverride {
    std::string option;  ///< as written: "--set", "--data-dir", "-hardPort", ...
    std::string key;     ///< a key of key_table()
    std::string value;   ///< already validated against the key
};

/// The command line taken apart, before any file is read.
struct CommandLine {
    std::optional<std::filesystem::path>
        config_file;                          ///< from --config / -serverConfig (last wins)
    std::string config_option;                ///< the option that named config_file
    std::vector<CliOverride> overrides;       ///< applied after the properties file
    Subcommand subcommand = Subcommand::Run;  ///< Run when none is given
    bool subcommand_given = false;            ///< true when a subcommand word was present
    std::vector<std::string> sub_args;  ///< words after the subcommand, global options removed
    std::vector<std::string> warnings;  ///< e.g. ignored keys in --set, ignored Java flags
    bool show_help = false;             ///< -h / --help
    bool show_version = false;          ///< --version
    bool allow_root = false;            ///< --allow-root
};

/// Parses the arguments (without argv[0]). Global options may stand before or after the
/// subcommand; after it, every other word is kept in sub_args in order, and a "--" stops option
/// handling (the "--" and everything after it go to sub_args). Values of --set and the Java flags
/// are validated against the key table. Throws ConfigError with a usage hint on any error.
CommandLine parse_command_line(const std::vector<std::string>& args);

/// The --help text: synopsis, subcommands, options and precedence.
std::string usage_text();

/// "blynkd <version>".
std::string version_text();

/// Everything main() needs to start.
struct LoadedConfig {
    Settings settings;                                      ///< defaults < file < command line
    Subcommand subcommand = Subcommand::Run;                ///< what to do
    std::vector<std::string> sub_args;                      ///< the subcommand's own arguments
    std::optional<std::filesystem::path> config_file_used;  ///< the properties file read, if any
    std::vector<std::string> warnings;                      ///< to be logged as warnings
    bool show_help = false;     ///< print usage_text() and exit 0 (nothing was loaded)
    bool show_version = false;  ///< print version_text() and exit 0 (nothing was loaded)
    bool allow_root = false;    ///< --allow-root: see check_privileges() (privileges.hpp)
};

/// Parses `args` (without argv[0]) and builds the settings: defaults, then the properties file
/// (the one given with --config/-serverConfig, which must exist; otherwise `implicit_config` if it
/// exists as a file; otherwise none), then the command-line overrides in order. With --help or
/// --version nothing is read. The data folder is left as configured: call resolve_data_folder()
/// (paths.hpp) before using it. Throws ConfigError.
LoadedConfig load_config(const std::vector<std::string>& args,
                         const std::filesystem::path& implicit_config = "server.properties");

/// load_config over main()'s arguments (argv[0] is skipped).
LoadedConfig load_config(int argc, const char* const* argv);

}  // namespace blynk::config
