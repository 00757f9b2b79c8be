#pragma once
// Bulk provisioning straight into a data dir's blynkd.db, before the server starts: one
// process and one transaction instead of one `blynkd device add` process (and commit) per
// device, so 100,000 devices take seconds.

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace blynk::bench {

struct BenchDevice {
    std::string email;
    int dash_id = 1;
    int device_id = 0;
    std::string token;
};

/// What the mobile-app scenarios add to the rows.
struct AppProvision {
    bool app_login = false;      ///< users get bench_app_password().stored (password_kind App)
    bool active = false;         ///< dashboard 1 is active: device writes reach the user's apps
    std::string widgets = "[]";  ///< dashboard 1's widgets, a JSON array as the app sends them
    /// pin_values rows of every device: pin as stored ("v5") and value.
    std::vector<std::pair<std::string, std::string>> pin_values;
};

/// The password every bench app account shares: `given` is what the app sends in its LOGIN (an
/// app password hash), `stored` the PBKDF2 hash of it that the users table keeps. Hashed once:
/// PBKDF2 costs tens of milliseconds and a stored hash verifies whatever the e-mail.
struct AppPassword {
    std::string given;
    std::string stored;
};
const AppPassword& bench_app_password();

/// Creates `users` users ("<prefix>-<n>@bench.local") with `devices_per_user` devices each in
/// dashboard 1, in one transaction; returns the devices user by user. The schema is created by
/// blynk_core's own migrations; the rows are those Store::add_user/add_device write
/// (without their provision_log entries, which only a running server reads), plus `app`.
std::vector<BenchDevice> provision(const std::filesystem::path& data_dir, const std::string& prefix,
                                   size_t users, size_t devices_per_user,
                                   const AppProvision& app = {});

}  // namespace blynk::bench
