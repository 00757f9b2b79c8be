#include "server/admin_cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <optional>
#include <ostream>

#include "common/util/ascii.hpp"
#include "common/util/email.hpp"
#include "common/util/password.hpp"
#include "server/store/store.hpp"
#include "server/store/store_location.hpp"

namespace blynk {
namespace {

constexpr int kUsageError = 2;
constexpr int kFailure = 1;

/// Takes `--name VALUE` style options and `--flag` switches out of `args`; the rest stay
/// positional.
struct ParsedArgs {
    std::vector<std::string> positional;
    std::vector<std::pair<std::string, std::string>> options;
    std::vector<std::string> flags;
    std::string error;
};

ParsedArgs parse_args(const std::vector<std::string>& args, size_t from,
                      const std::vector<std::string>& allowed,
                      const std::vector<std::string>& allowed_flags = {}) {
    ParsedArgs parsed;
    for (size_t i = from; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0) {
            parsed.positional.push_back(a);
            continue;
        }
        if (std::find(allowed_flags.begin(), allowed_flags.end(), a) != allowed_flags.end()) {
            parsed.flags.push_back(a);
            continue;
        }
        std::string name = a, value;
        bool has_value = false;
        if (auto eq = a.find('='); eq != std::string::npos) {
            name = a.substr(0, eq);
            value = a.substr(eq + 1);
            has_value = true;
        }
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            parsed.error = "unknown option " + name;
            return parsed;
        }
        if (!has_value) {
            if (i + 1 >= args.size()) {
                parsed.error = name + " needs a value";
                return parsed;
            }
            value = args[++i];
        }
        parsed.options.emplace_back(name, value);
    }
    return parsed;
}

std::optional<std::string> option(const ParsedArgs& p, const std::string& name) {
    std::optional<std::string> v;
    for (const auto& [k, value] : p.options)
        if (k == name) v = value;
    return v;
}

std::string format_time(int64_t ms) {
    if (ms <= 0) return "never";
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

/// The store at `location` (store::database_location()); a SQLite file's folder is created.
store::Store open_store(const std::string& location) {
    if (!store::is_postgres_location(location)) {
        std::filesystem::create_directories(std::filesystem::path(location).parent_path());
    }
    return store::Store(location);
}

/// The e-mail a user is stored under: as written when such a user exists (users added before
/// `user add` lower-cased), otherwise lower-cased, as `user add` stores it.
std::string stored_email(store::Store& store, const std::string& email) {
    const auto users = store.list_users();
    bool exact = std::any_of(users.begin(), users.end(),
                             [&](const store::UserSummary& u) { return u.email == email; });
    return exact ? email : util::ascii_lower(email);
}

/// What is stored for a password the legacy Blynk app can log in with.
std::string app_login_hash(const std::string& email, const std::string& password) {
    return util::hash_password(util::app_password_hash(email, password));
}

int device_add(const config::Settings& settings, const std::string& db, const ParsedArgs& p,
               CliStreams io) {
    if (p.positional.size() != 1) {
        io.err << "usage: blynkd device add EMAIL [--name NAME] [--board BOARD] [--dash ID]\n";
        return kUsageError;
    }
    std::optional<int> dash;
    if (auto d = option(p, "--dash")) {
        try {
            size_t used = 0;
            dash = std::stoi(*d, &used);
            if (used != d->size() || *dash < 0) throw std::invalid_argument(*d);
        } catch (const std::exception&) {
            io.err << "--dash: \"" << *d << "\" is not a dashboard id (a whole number >= 0)\n";
            return kUsageError;
        }
    }
    auto store = open_store(db);
    const std::string email = stored_email(store, p.positional[0]);
    // Both limits are checked inside the insert's transaction: concurrent calls cannot pass them.
    auto added = store.add_device(email, option(p, "--name").value_or(""),
                                  option(p, "--board").value_or("ESP32"), dash,
                                  settings.user_devices_limit, settings.user_dashboard_max_limit);
    io.out << added.device.token << "\n";
    io.err << "device " << added.dash_id << "-" << added.device.id << " '" << added.device.name
           << "' added for " << added.email << "; put the token above in Blynk.begin()\n";
    return 0;
}

int device_list(const std::string& db, const ParsedArgs& p, CliStreams io) {
    if (p.positional.size() > 1) {
        io.err << "usage: blynkd device list [EMAIL]\n";
        return kUsageError;
    }
    auto store = open_store(db);
    std::optional<std::string> email;
    if (!p.positional.empty()) email = stored_email(store, p.positional[0]);
    auto rows = store.list_devices(email);
    // Columns as wide as their longest cell (imported boards have names like "ESP32 Dev Board").
    auto width = [&rows](size_t header, auto cell) {
        size_t widest = header;
        for (const auto& r : rows)
            widest = std::max(widest, cell(r).size());
        return static_cast<int>(widest + 2);
    };
    const int user_w = width(4, [](const store::DeviceRow& r) { return r.email; });
    const int name_w = width(4, [](const store::DeviceRow& r) { return r.device.name; });
    const int board_w = width(5, [](const store::DeviceRow& r) { return r.device.board_type; });
    const int token_w = width(5, [](const store::DeviceRow& r) { return r.device.token; });
    io.out << std::left << std::setw(user_w) << "USER" << std::setw(8) << "DEVICE"
           << std::setw(name_w) << "NAME" << std::setw(board_w) << "BOARD" << std::setw(token_w)
           << "TOKEN"
           << "STATUS\n";
    for (const auto& r : rows) {
        std::string status = r.device.online
                                 ? "online since " + format_time(r.device.last_seen_ms)
                                 : "offline, last seen " + format_time(r.device.last_seen_ms);
        io.out << std::left << std::setw(user_w) << r.email << std::setw(8)
               << (std::to_string(r.dash_id) + "-" + std::to_string(r.device.id))
               << std::setw(name_w) << r.device.name << std::setw(board_w) << r.device.board_type
               << std::setw(token_w) << r.device.token << status << "\n";
    }
    if (rows.empty()) io.err << "no devices" << (email ? " for " + *email : std::string()) << "\n";
    return 0;
}

int device_token_refresh(const std::string& db, const ParsedArgs& p, CliStreams io) {
    if (p.positional.size() != 1) {
        io.err << "usage: blynkd device token-refresh TOKEN\n";
        return kUsageError;
    }
    auto store = open_store(db);
    auto fresh = store.refresh_token(p.positional[0]);
    if (!fresh) {
        io.err << "no device has that token\n";
        return kFailure;
    }
    io.out << *fresh << "\n";
    io.err << "token replaced; a running server disconnects boards still using the old one\n";
    return 0;
}

bool has_flag(const ParsedArgs& p, std::string_view flag) {
    return std::find(p.flags.begin(), p.flags.end(), flag) != p.flags.end();
}

int user_add(const std::string& db, const ParsedArgs& p, CliStreams io) {
    if (p.positional.size() != 1) {
        io.err << "usage: blynkd user add EMAIL [--password PASS] [--admin]\n";
        return kUsageError;
    }
    // The app lower-cases the e-mail it logs in with.
    const std::string email = util::ascii_lower(p.positional[0]);
    if (!util::plausible_email(email)) {
        io.err << "\"" << p.positional[0] << "\" is not an e-mail address\n";
        return kUsageError;
    }
    auto password = option(p, "--password");
    if (password && password->empty()) {
        io.err << "error: the password must not be empty\n";
        return kUsageError;
    }
    const bool admin = has_flag(p, "--admin");
    auto store = open_store(db);
    if (password) {
        store.add_user(email, app_login_hash(email, *password), model::PasswordKind::App, admin);
    } else {
        store.add_user(email, "", model::PasswordKind::None, admin);
    }
    io.err << (admin ? "administrator " : "user ") << email << " added";
    if (!password) {
        io.err << " without a password; set one before signing in: blynkd user password " << email
               << "\n";
    } else {
        io.err << "; next: blynkd device add " << email << "\n";
    }
    return 0;
}

int user_delete(const std::string& db, const ParsedArgs& p, CliStreams io) {
    if (p.positional.size() != 1) {
        io.err << "usage: blynkd user delete EMAIL\n";
        return kUsageError;
    }
    auto store = open_store(db);
    const std::string email = stored_email(store, p.positional[0]);
    if (!store.delete_user(email)) {
        io.err << "error: no user " << p.positional[0] << "\n";
        return kFailure;
    }
    io.err << "user " << email
           << " deleted with its dashboards and devices; a running server disconnects them\n";
    return 0;
}

int user_admin(const std::string& db, const ParsedArgs& p, CliStreams io) {
    if (p.positional.size() != 2 || (p.positional[1] != "on" && p.positional[1] != "off")) {
        io.err << "usage: blynkd user admin EMAIL on|off\n";
        return kUsageError;
    }
    auto store = open_store(db);
    const std::string email = stored_email(store, p.positional[0]);
    const bool admin = p.positional[1] == "on";
    if (!store.set_admin(email, admin)) {
        io.err << "error: no user " << p.positional[0] << "\n";
        return kFailure;
    }
    io.err << email << (admin ? " is now" : " is no longer") << " an administrator\n";
    return 0;
}

int user_password(const std::string& db, const ParsedArgs& p, CliStreams io) {
    if (p.positional.size() != 1) {
        io.err << "usage: blynkd user password EMAIL [--password PASS]\n";
        return kUsageError;
    }
    auto password = option(p, "--password");
    if (!password) {
        if (::isatty(STDIN_FILENO) != 0) io.err << "new password for " << p.positional[0] << ": ";
        password.emplace();
        std::getline(std::cin, *password);
        if (!password->empty() && password->back() == '\r') password->pop_back();
    }
    if (password->empty()) {
        io.err << "error: the password must not be empty\n";
        return kUsageError;
    }
    auto store = open_store(db);
    const std::string email = stored_email(store, p.positional[0]);
    if (!store.set_password(email, app_login_hash(email, *password), model::PasswordKind::App)) {
        io.err << "error: no user " << p.positional[0] << "\n";
        return kFailure;
    }
    io.err << "password of " << email << " set; the app can log in with it\n";
    return 0;
}

std::string login_description(const store::UserSummary& user) {
    switch (user.password_kind) {
        case model::PasswordKind::App:
            return "app password";
        case model::PasswordKind::Clear:
            return "old password: run blynkd user password " + user.email;
        case model::PasswordKind::None:
            break;
    }
    return "no password";
}

int user_list(const std::string& db, const ParsedArgs& p, CliStreams io) {
    if (!p.positional.empty()) {
        io.err << "usage: blynkd user list\n";
        return kUsageError;
    }
    auto store = open_store(db);
    const auto users = store.list_users();
    size_t email_width = 26;
    for (const auto& u : users)
        email_width = std::max(email_width, u.email.size() + 2);
    const auto width = static_cast<int>(email_width);
    io.out << std::left << std::setw(width) << "EMAIL" << std::setw(12) << "DASHBOARDS"
           << std::setw(9) << "DEVICES" << std::setw(25) << "CREATED" << std::setw(7) << "ROLE"
           << "LOGIN\n";
    for (const auto& u : users) {
        io.out << std::left << std::setw(width) << u.email << std::setw(12) << u.dashboards
               << std::setw(9) << u.devices << std::setw(25) << format_time(u.created_at_ms)
               << std::setw(7) << (u.admin ? "admin" : "user") << login_description(u) << "\n";
    }
    if (users.empty()) io.err << "no users\n";
    return 0;
}

}  // namespace

int run_user_command(const config::Settings& settings, const std::filesystem::path& data_dir,
                     const std::vector<std::string>& args, CliStreams io) {
    const std::string usage =
        "usage: blynkd user add EMAIL [--password PASS] [--admin]\n"
        "       blynkd user password EMAIL [--password PASS]   (without --password: read a "
        "line from stdin)\n"
        "       blynkd user admin EMAIL on|off   (the web console's admin view)\n"
        "       blynkd user delete EMAIL   (with its dashboards, devices and values)\n"
        "       blynkd user list\n";
    if (args.empty()) {
        io.err << usage;
        return kUsageError;
    }
    const std::string& verb = args[0];
    auto p = parse_args(
        args, 1,
        verb == "add" || verb == "password" ? std::vector<std::string>{"--password"}
                                            : std::vector<std::string>{},
        verb == "add" ? std::vector<std::string>{"--admin"} : std::vector<std::string>{});
    if (!p.error.empty()) {
        io.err << p.error << "\n" << usage;
        return kUsageError;
    }
    try {
        const std::string db = store::database_location(settings, data_dir);
        if (verb == "add") return user_add(db, p, io);
        if (verb == "password") return user_password(db, p, io);
        if (verb == "admin") return user_admin(db, p, io);
        if (verb == "delete") return user_delete(db, p, io);
        if (verb == "list") return user_list(db, p, io);
    } catch (const std::exception& e) {
        io.err << "error: " << e.what() << "\n";
        return kFailure;
    }
    io.err << "unknown user command \"" << verb << "\"\n" << usage;
    return kUsageError;
}

int run_device_command(const config::Settings& settings, const std::filesystem::path& data_dir,
                       const std::vector<std::string>& args, CliStreams io) {
    const std::string usage =
        "usage: blynkd device add EMAIL [--name NAME] [--board BOARD] [--dash ID]\n"
        "       blynkd device list [EMAIL]\n"
        "       blynkd device token-refresh TOKEN\n";
    if (args.empty()) {
        io.err << usage;
        return kUsageError;
    }
    const std::string& verb = args[0];
    auto p = parse_args(args, 1,
                        verb == "add" ? std::vector<std::string>{"--name", "--board", "--dash"}
                                      : std::vector<std::string>{});
    if (!p.error.empty()) {
        io.err << p.error << "\n" << usage;
        return kUsageError;
    }
    try {
        const std::string db = store::database_location(settings, data_dir);
        if (verb == "add") return device_add(settings, db, p, io);
        if (verb == "list") return device_list(db, p, io);
        if (verb == "token-refresh") return device_token_refresh(db, p, io);
    } catch (const std::exception& e) {
        io.err << "error: " << e.what() << "\n";
        return kFailure;
    }
    io.err << "unknown device command \"" << verb << "\"\n" << usage;
    return kUsageError;
}

}  // namespace blynk
