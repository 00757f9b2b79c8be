#pragma once
// Bulk provisioning straight into a data dir's blynkd.db, before the server starts: one
// process and one transaction instead of one `blynkd device add` process (and commit) per
// device, so 100,000 devices take seconds.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace blynk::bench {

struct BenchDevice {
    std::string email;
    int dash_id = 1;
    int device_id = 0;
    std::string token;
};

/// Creates `users` users ("<prefix>-<n>@bench.local") with `devices_per_user` devices each in
/// dashboard 1, in one transaction; returns the devices user by user. The schema is created by
/// blynk_core's own migrations; the rows are those SqliteStore::add_user/add_device write
/// (without their provision_log entries, which only a running server reads).
std::vector<BenchDevice> provision(const std::filesystem::path& data_dir, const std::string& prefix,
                                   size_t users, size_t devices_per_user);

}  // namespace blynk::bench
