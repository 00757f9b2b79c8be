#include "server/java_import/import_command.hpp"

#include <map>
#include <optional>
#include <ostream>

#include "common/util/password.hpp"
#include "server/java_import/import_plan.hpp"
#include "server/store/instance_lock.hpp"
#include "server/store/store.hpp"

namespace blynk::java_import {
namespace {

constexpr int kUsageError = 2;
constexpr int kFailure = 1;
constexpr const char* kUsage = "usage: blynkd import-java DIR [--dry-run] [--overwrite]\n";

struct Options {
    std::filesystem::path dir;
    bool dry_run = false;
    bool overwrite = false;
};

std::optional<Options> parse_options(const std::vector<std::string>& args, CliStreams io) {
    Options options;
    bool have_dir = false;
    for (const std::string& arg : args) {
        if (arg == "--dry-run") {
            options.dry_run = true;
        } else if (arg == "--overwrite") {
            options.overwrite = true;
        } else if (arg.starts_with("-") || have_dir) {
            io.err << (arg.starts_with("-") ? "unknown option " : "unexpected argument ") << arg
                   << "\n"
                   << kUsage;
            return std::nullopt;
        } else {
            options.dir = arg;
            have_dir = true;
        }
    }
    if (!have_dir) {
        io.err << kUsage;
        return std::nullopt;
    }
    return options;
}

std::string plural(size_t n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

std::string describe(const model::User& user) {
    const UserCounts c = count(user);
    return plural(c.dashboards, "dashboard") + ", " + plural(c.widgets, "widget") + ", " +
           plural(c.devices, "device") + " (tokens kept), " + plural(c.pin_values, "pin value") +
           ", " + plural(c.properties, "pin property") + ", " +
           plural(c.share_tokens, "share token");
}

const char* verb(Action action, bool dry_run) {
    switch (action) {
        case Action::Import:
            return dry_run ? "would import" : "imported";
        case Action::Replace:
            return dry_run ? "would replace" : "replaced";
        case Action::Unchanged:
            return "unchanged, already imported";
        case Action::Refused:
            return "refused";
        case Action::Skipped:
            break;
    }
    return "skipped";
}

/// The users blynkd holds now, by e-mail; none when a dry run finds no database (it must not
/// create one).
std::map<std::string, model::User> existing_users(const std::filesystem::path& data_dir,
                                                  bool dry_run) {
    std::map<std::string, model::User> users;
    const auto db = store::Store::db_path(data_dir);
    if (dry_run && !std::filesystem::exists(db)) return users;
    store::Store store(db.string());
    for (model::User& user : store.load_all())
        users.emplace(user.email, std::move(user));
    return users;
}

/// Writes the users the plan imports or replaces; a failure turns that user into Skipped.
void write_users(const std::filesystem::path& data_dir, std::vector<PlannedUser>& plan) {
    store::Store store(store::Store::db_path(data_dir).string());
    for (PlannedUser& planned : plan) {
        if (planned.action != Action::Import && planned.action != Action::Replace) continue;
        model::User user = planned.user->user;
        if (!planned.user->app_password.empty()) {
            // The Java server kept what the app sends; blynkd keeps a salted hash of it.
            user.password_hash = util::hash_password(planned.user->app_password);
            user.password_kind = model::PasswordKind::App;
        }
        try {
            store.import_user(user, planned.action == Action::Replace);
        } catch (const std::exception& e) {
            planned.action = Action::Skipped;
            planned.reason = e.what();
        }
    }
}

void report(const std::vector<PlannedUser>& plan, bool dry_run, CliStreams io) {
    std::map<Action, size_t> totals;
    for (const PlannedUser& planned : plan) {
        ++totals[planned.action];
        const std::string file = planned.file.filename().string();
        if (!planned.user) {
            io.out << file << ": skipped: " << planned.reason << "\n";
            continue;
        }
        io.out << planned.user->user.email << " (" << file
               << "): " << verb(planned.action, dry_run);
        if (planned.action == Action::Import || planned.action == Action::Replace) {
            io.out << ": " << describe(planned.user->user);
        } else if (!planned.reason.empty()) {
            io.out << ": " << planned.reason;
        }
        io.out << "\n";
        if (planned.action == Action::Import || planned.action == Action::Replace) {
            for (const std::string& note : planned.user->notes)
                io.out << "  note: " << note << "\n";
        }
    }
    const size_t written = totals[Action::Import] + totals[Action::Replace];
    io.out << (dry_run ? "dry run, nothing written: " : "") << written
           << (dry_run ? " to import, " : " imported, ") << totals[Action::Unchanged]
           << " unchanged, " << totals[Action::Refused] << " refused, " << totals[Action::Skipped]
           << " skipped\n";
    if (!dry_run && written > 0) {
        io.err << "start the server: boards log in with their old tokens, apps with their old "
                  "passwords\n";
    }
}

}  // namespace

int run_import_command(const std::filesystem::path& data_dir, const std::vector<std::string>& args,
                       CliStreams io) {
    auto options = parse_options(args, io);
    if (!options) return kUsageError;
    try {
        if (!std::filesystem::is_directory(options->dir)) {
            io.err << "error: " << options->dir.string() << " is not a folder\n";
            return kFailure;
        }
        std::vector<PlannedUser> plan = read_user_files(options->dir);
        if (plan.empty()) {
            io.err << "error: no *.user files in " << options->dir.string()
                   << "; give the Java server's data.folder (it holds one EMAIL.Blynk.user file "
                      "per user)\n";
            return kFailure;
        }
        std::optional<store::InstanceLock> lock;
        if (!options->dry_run) {
            std::filesystem::create_directories(data_dir);
            lock = store::InstanceLock::try_acquire(data_dir, "import-java");
            if (!lock) {
                io.err << "error: import-java needs the server stopped: a blynkd server is "
                          "running on "
                       << data_dir.string() << " (" << store::InstanceLock::holder(data_dir)
                       << ") and would not see imported dashboards until it restarts. Stop it, "
                          "import, then start it again.\n";
                return kFailure;
            }
        }
        decide(plan, existing_users(data_dir, options->dry_run), options->overwrite);
        if (!options->dry_run) write_users(data_dir, plan);
        report(plan, options->dry_run, io);
        for (const PlannedUser& planned : plan) {
            if (planned.action == Action::Refused || planned.action == Action::Skipped)
                return kFailure;
        }
        return 0;
    } catch (const std::exception& e) {
        io.err << "error: import failed: " << e.what() << "\n";
        return kFailure;
    }
}

}  // namespace blynk::java_import
