#include "config/paths.hpp"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <string_view>
#include <system_error>

#include "config/keys.hpp"

namespace fs = std::filesystem;

namespace blynk::config {
namespace {

std::optional<std::string> env_value(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}

// `p` and `root` are absolute and normalised.
bool is_within(const fs::path& p, const fs::path& root) {
    fs::path rel = p.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
}

bool under_temporary_root(const fs::path& p) {
    static const std::array<fs::path, 2> kRoots = {fs::path("/tmp"), fs::path("/var/tmp")};
    for (const fs::path& root : kRoots) {
        if (is_within(p, root)) return true;
    }
    return false;
}

fs::path absolute_normal(const fs::path& p) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    if (ec) abs = p;
    abs = abs.lexically_normal();
    // "/x/y/" and "/x/y" are the same folder; keep the short form.
    if (abs.has_relative_path() && !abs.has_filename()) abs = abs.parent_path();
    return abs;
}

}  // namespace

DataDirEnv current_data_dir_env() {
    DataDirEnv env;
    env.blynkd_data_dir = env_value("BLYNKD_DATA_DIR");
    env.xdg_data_home = env_value("XDG_DATA_HOME");
    env.home = env_value("HOME");
    env.is_root = ::geteuid() == 0;
    std::error_code ec;
    env.var_lib_exists = fs::is_directory("/var/lib", ec);
    return env;
}

fs::path default_data_folder(const DataDirEnv& env) {
    if (env.blynkd_data_dir) return fs::path(*env.blynkd_data_dir);
    if (env.is_root && env.var_lib_exists) return fs::path("/var/lib/blynkd");
    // The XDG spec says a relative $XDG_DATA_HOME is invalid and must be ignored.
    if (env.xdg_data_home && fs::path(*env.xdg_data_home).is_absolute()) {
        return fs::path(*env.xdg_data_home) / "blynkd";
    }
    if (env.home) return fs::path(*env.home) / ".local" / "share" / "blynkd";
    throw ConfigError(
        "cannot choose a data folder: HOME, XDG_DATA_HOME and BLYNKD_DATA_DIR are unset; give one "
        "with --data-dir DIR or data.folder in server.properties");
}

fs::path default_data_folder() {
    return default_data_folder(current_data_dir_env());
}

bool is_temporary_path(const fs::path& folder) {
    const fs::path abs = absolute_normal(folder);
    if (under_temporary_root(abs)) return true;
    // A symbolic link (or a parent that is one) may lead into /tmp.
    std::error_code ec;
    fs::path real = fs::weakly_canonical(abs, ec);
    return !ec && under_temporary_root(absolute_normal(real));
}

void check_data_folder(const fs::path& folder, bool allow_tmp) {
    if (allow_tmp || !is_temporary_path(folder)) return;
    throw ConfigError("data folder \"" + folder.string() +
                      "\" is under /tmp or /var/tmp, which may be wiped at reboot and would lose "
                      "every user and device; choose a lasting folder with --data-dir DIR or "
                      "data.folder in server.properties (set BLYNKD_ALLOW_TMP_DATA=1 to allow it, "
                      "e.g. for tests)");
}

bool tmp_data_allowed() {
    std::optional<std::string> v = env_value("BLYNKD_ALLOW_TMP_DATA");
    return v && *v == "1";
}

fs::path resolve_data_folder(const Settings& settings) {
    fs::path folder = settings.data_folder.empty() ? default_data_folder() : settings.data_folder;
    folder = absolute_normal(folder);
    check_data_folder(folder, tmp_data_allowed());
    return folder;
}

}  // namespace blynk::config
