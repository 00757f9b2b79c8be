#include "config/cli.hpp"

#include <array>
#include <system_error>

#include "common/util/ascii.hpp"
#include "config/properties.hpp"

#ifndef BLYNKD_VERSION
#define BLYNKD_VERSION "unknown"
#endif

namespace blynk::config {
namespace {

constexpr std::string_view kHint = " (run \"blynkd --help\" for usage)";
constexpr std::string_view kCommandList = "run, user, device, backup, restore or import-java";

enum class OptionKind {
    ConfigFile,  // takes a file
    DataDir,     // takes a folder, sets data.folder
    Set,         // takes KEY=VALUE
    KeyFlag,     // takes a value for `key`
    Ignored,     // Java launcher flag with a value that has no effect here
    Unsupported,
    AllowRoot,
    Help,
    Version,
};

struct OptionSpec {
    std::string_view name;
    OptionKind kind;
    std::string_view key;   // KeyFlag only
    std::string_view what;  // the value's name, for "needs a value" messages
};

// Single-dash camelCase names are the Java launcher's (ArgumentsParser.java), kept so existing
// start scripts work unchanged.
constexpr std::array<OptionSpec, 16> kOptions = {{
    {"--config", OptionKind::ConfigFile, {}, "a file"},
    {"-serverConfig", OptionKind::ConfigFile, {}, "a file"},
    {"--data-dir", OptionKind::DataDir, {}, "a folder"},
    {"-dataFolder", OptionKind::DataDir, {}, "a folder"},
    {"--set", OptionKind::Set, {}, "KEY=VALUE"},
    {"-hardPort", OptionKind::KeyFlag, "http.port", "a port"},
    {"-appPort", OptionKind::KeyFlag, "https.port", "a port"},
    {"-workerThreads", OptionKind::KeyFlag, "server.worker.threads", "a number"},
    {"--mail-config", OptionKind::KeyFlag, "mail.config", "a file"},
    {"-mailConfig", OptionKind::KeyFlag, "mail.config", "a file"},
    {"-smsConfig", OptionKind::Ignored, {}, "a file"},
    {"-restore", OptionKind::Unsupported, {}, {}},
    {"--allow-root", OptionKind::AllowRoot, {}, {}},
    {"-h", OptionKind::Help, {}, {}},
    {"--help", OptionKind::Help, {}, {}},
    {"--version", OptionKind::Version, {}, {}},
}};

bool takes_value(OptionKind kind) {
    return kind == OptionKind::ConfigFile || kind == OptionKind::DataDir ||
           kind == OptionKind::Set || kind == OptionKind::KeyFlag || kind == OptionKind::Ignored;
}

[[noreturn]] void fail(const std::string& message) {
    throw ConfigError(message + std::string(kHint));
}

// Finds the option `word` names; long options may carry their value as "--name=value".
const OptionSpec* find_option(std::string_view word, std::optional<std::string>& inline_value) {
    inline_value.reset();
    std::string_view name = word;
    if (word.starts_with("--")) {
        std::size_t eq = word.find('=');
        if (eq != std::string_view::npos) {
            name = word.substr(0, eq);
            inline_value = std::string(word.substr(eq + 1));
        }
    }
    for (const OptionSpec& o : kOptions) {
        if (o.name == name) return &o;
    }
    inline_value.reset();
    return nullptr;
}

std::optional<Subcommand> parse_subcommand(std::string_view word) {
    if (word == "run") return Subcommand::Run;
    if (word == "user") return Subcommand::User;
    if (word == "device") return Subcommand::Device;
    if (word == "backup") return Subcommand::Backup;
    if (word == "restore") return Subcommand::Restore;
    if (word == "import-java") return Subcommand::ImportJava;
    return std::nullopt;
}

// Validates one override now, so a bad command line fails before any file is read.
void add_override(CommandLine& cl, std::string_view option, std::string_view key,
                  std::string_view value) {
    Settings scratch;
    std::vector<std::string> warnings;
    try {
        apply_key_value(option, key, value, scratch, warnings);
    } catch (const ConfigError& e) {
        fail(e.what());
    }
    if (!warnings.empty()) {
        cl.warnings.insert(cl.warnings.end(), warnings.begin(), warnings.end());
        return;  // an ignored key: nothing to apply
    }
    cl.overrides.push_back({std::string(option), std::string(key), std::string(value)});
}

void handle_option(CommandLine& cl, const OptionSpec& o, const std::string& value) {
    switch (o.kind) {
        case OptionKind::ConfigFile:
            if (value.empty()) fail(std::string(o.name) + " needs a file name");
            cl.config_file = value;
            cl.config_option = o.name;
            break;
        case OptionKind::DataDir:
            if (value.empty()) fail(std::string(o.name) + " needs a folder name");
            add_override(cl, o.name, "data.folder", value);
            break;
        case OptionKind::Set: {
            std::size_t eq = value.find('=');
            if (eq == std::string::npos) {
                fail("--set \"" + value + "\": expected KEY=VALUE, e.g. --set http.port=8080");
            }
            std::string_view text = value;
            add_override(cl, o.name, util::trim_blanks(text.substr(0, eq)),
                         util::trim_blanks(text.substr(eq + 1)));
            break;
        }
        case OptionKind::KeyFlag:
            add_override(cl, o.name, o.key, value);
            break;
        case OptionKind::Ignored:
            cl.warnings.push_back(std::string(o.name) + " " + value +
                                  ": accepted for compatibility with the Java server and has "
                                  "no effect");
            break;
        case OptionKind::Unsupported:
            fail(std::string(o.name) +
                 " (restore users from PostgreSQL) is not supported; blynkd keeps its data in "
                 "the data folder");
        case OptionKind::AllowRoot:
            cl.allow_root = true;
            break;
        case OptionKind::Help:
            cl.show_help = true;
            break;
        case OptionKind::Version:
            cl.show_version = true;
            break;
    }
}

std::string unknown_option_message(std::string_view word) {
    std::string message = "unknown option \"" + std::string(word) + "\"";
    std::string_view name = word.substr(0, word.find('='));
    std::optional<std::string_view> best;
    std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
    for (const OptionSpec& o : kOptions) {
        std::size_t d = edit_distance(name, o.name);
        if (d < best_distance) {
            best_distance = d;
            best = o.name;
        }
    }
    if (best) message += " (did you mean \"" + std::string(*best) + "\"?)";
    return message;
}

}  // namespace

std::string_view subcommand_name(Subcommand subcommand) {
    switch (subcommand) {
        case Subcommand::Run:
            return "run";
        case Subcommand::User:
            return "user";
        case Subcommand::Device:
            return "device";
        case Subcommand::Backup:
            return "backup";
        case Subcommand::Restore:
            return "restore";
        case Subcommand::ImportJava:
            return "import-java";
    }
    return "run";
}

CommandLine parse_command_line(const std::vector<std::string>& args) {
    CommandLine cl;
    bool options_done = false;  // after "--" behind the subcommand: everything is a sub arg
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& word = args[i];
        if (options_done) {
            cl.sub_args.push_back(word);
            continue;
        }
        if (word == "--") {
            if (cl.subcommand_given) {
                options_done = true;
                cl.sub_args.push_back(word);
            } else if (i + 1 < args.size()) {
                // "blynkd -- user ...": the next word is the subcommand, whatever it looks like.
                const std::string& next = args[++i];
                std::optional<Subcommand> sub = parse_subcommand(next);
                if (!sub)
                    fail("unknown command \"" + next + "\"; expected " + std::string(kCommandList));
                cl.subcommand = *sub;
                cl.subcommand_given = true;
                options_done = true;
            }
            continue;
        }
        std::optional<std::string> inline_value;
        if (const OptionSpec* o = find_option(word, inline_value)) {
            std::string value;
            if (takes_value(o->kind)) {
                if (inline_value) {
                    value = *inline_value;
                } else if (i + 1 < args.size()) {
                    value = args[++i];
                } else {
                    fail(std::string(o->name) + " needs a value (" + std::string(o->what) + ")");
                }
            } else if (inline_value) {
                fail(std::string(o->name) + " takes no value");
            }
            handle_option(cl, *o, value);
            continue;
        }
        if (cl.subcommand_given) {
            cl.sub_args.push_back(word);
            continue;
        }
        if (word.size() > 1 && word.front() == '-') fail(unknown_option_message(word));
        std::optional<Subcommand> sub = parse_subcommand(word);
        if (!sub) fail("unknown command \"" + word + "\"; expected " + std::string(kCommandList));
        cl.subcommand = *sub;
        cl.subcommand_given = true;
    }
    return cl;
}

std::string usage_text() {
    return R"(Usage: blynkd [OPTIONS] [COMMAND [ARGS...]]

A Blynk-compatible IoT server.

Commands:
  run                                  start the server (the default when no command is given)
  user add EMAIL [--password PASS] [--admin]
                                       create a user (the app logs in with EMAIL and PASS;
                                       --admin: may use the web console's admin view)
  user password EMAIL [--password PASS]
                                       set a user's password (without --password: read a
                                       line from stdin)
  user admin EMAIL on|off              make a user an administrator, or no longer one
  user delete EMAIL                    delete a user with its dashboards, devices and values
  user list                            list users: dashboards, devices, role, how they log in
  device add EMAIL [--name NAME] [--board BOARD] [--dash DASH_ID]
                                       create a device for a user and print its token
  device list [EMAIL]                  list devices (of one user, or of everybody)
  device token-refresh TOKEN           give a device a new token and print it
  backup FILE                          write a consistent copy of the database to FILE (also
                                       while the server runs)
  restore FILE                         make the backup FILE the database (server stopped; the
                                       replaced database is kept beside it)
  import-java DIR [--dry-run] [--overwrite]
                                       import the users, dashboards, devices (with their
                                       tokens) and pin values of a Java blynk-server data
                                       folder (server stopped; see docs/migrating.md)

Options (before or after the command):
  --config FILE, -serverConfig FILE    read this properties file (it must exist); without this
                                       option ./server.properties is read if it exists
  --data-dir DIR, -dataFolder DIR      data folder (same as --set data.folder=DIR)
  --set KEY=VALUE                      set any server.properties key; may be repeated
  -hardPort N                          same as --set http.port=N
  -appPort N                           same as --set https.port=N
  -workerThreads N                     same as --set server.worker.threads=N
  --mail-config FILE, -mailConfig FILE the SMTP server's settings (same as --set
                                       mail.config=FILE); without it, mail.properties next to
                                       the server.properties in use is read if it exists
  -smsConfig FILE                      accepted for compatibility; no effect
  --allow-root                         run as root all the same (the server refuses to, and
                                       every command refuses a data folder owned by another
                                       user when run as root)
  -h, --help                           print this help and exit
  --version                            print the version and exit
  --                                   end of options; the rest goes to the command

Precedence: built-in defaults < properties file < command-line options (in the order given).
Without a data folder, blynkd uses $BLYNKD_DATA_DIR, else /var/lib/blynkd when run as root,
else $XDG_DATA_HOME/blynkd or ~/.local/share/blynkd; it refuses a folder under /tmp.
Every key is listed in server.properties.example and docs/configuration.md.
)";
}

std::string version_text() {
    return std::string("blynkd ") + BLYNKD_VERSION;
}

LoadedConfig load_config(const std::vector<std::string>& args,
                         const std::filesystem::path& implicit_config) {
    CommandLine cl = parse_command_line(args);
    LoadedConfig out;
    out.subcommand = cl.subcommand;
    out.sub_args = std::move(cl.sub_args);
    out.show_help = cl.show_help;
    out.show_version = cl.show_version;
    out.allow_root = cl.allow_root;
    out.warnings = std::move(cl.warnings);
    if (out.show_help || out.show_version) return out;

    if (cl.config_file) {
        std::error_code ec;
        if (!std::filesystem::exists(*cl.config_file, ec)) {
            fail("config file \"" + cl.config_file->string() + "\" given with " + cl.config_option +
                 " does not exist");
        }
        out.config_file_used = *cl.config_file;
    } else {
        std::error_code ec;
        if (std::filesystem::is_regular_file(implicit_config, ec)) {
            out.config_file_used = implicit_config;
        }
    }
    if (out.config_file_used) {
        out.settings = load_properties(*out.config_file_used, out.settings, &out.warnings);
    }
    for (const CliOverride& o : cl.overrides) {
        std::vector<std::string> ignored;  // already reported by parse_command_line
        apply_key_value(o.option, o.key, o.value, out.settings, ignored);
    }
    if (out.settings.mail_config.empty()) {
        // As the Java server: mail.properties beside the server's own properties file.
        const auto beside = (out.config_file_used ? out.config_file_used->parent_path()
                                                  : implicit_config.parent_path()) /
                            "mail.properties";
        std::error_code ec;
        if (std::filesystem::is_regular_file(beside, ec))
            out.settings.mail_config = beside.string();
    }
    return out;
}

LoadedConfig load_config(int argc, const char* const* argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i)
        args.emplace_back(argv[i]);
    return load_config(args);
}

}  // namespace blynk::config
