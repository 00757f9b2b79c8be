#pragma once
// One server per data folder: the server holds an exclusive flock(2) on data_dir/blynkd.lock for
// its whole life, and commands that must not run beside a server (restore, import-java) take the
// same lock. The kernel drops the lock when the holder exits, however it exits, so a crash never
// leaves a stale lock behind. The file holds the holder's pid and role, for error messages.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace blynk::store {

class InstanceLock {
public:
    /// The lock file of a data folder: data_dir/"blynkd.lock".
    static std::filesystem::path path(const std::filesystem::path& data_dir);

    /// Takes the lock without waiting and records this process as `role` ("server", "restore",
    /// ...); nullopt when another process (or another InstanceLock here) holds it. Throws
    /// std::runtime_error when the lock file cannot be opened.
    static std::optional<InstanceLock> try_acquire(const std::filesystem::path& data_dir,
                                                   std::string_view role);

    /// try_acquire(), or throws std::runtime_error: "data folder D is in use by another blynkd
    /// (pid N, ROLE); `advice`".
    static InstanceLock acquire(const std::filesystem::path& data_dir, std::string_view role,
                                std::string_view advice);

    /// The server's lock: acquire() as "server", advising to stop the other server or to give
    /// this one its own data folder.
    static InstanceLock for_server(const std::filesystem::path& data_dir);

    /// Who holds the lock as its file says: "pid 1234, server"; "unknown" when unreadable.
    static std::string holder(const std::filesystem::path& data_dir);

    ~InstanceLock();
    InstanceLock(InstanceLock&& other) noexcept;
    InstanceLock& operator=(InstanceLock&& other) noexcept;
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;

private:
    explicit InstanceLock(int fd) noexcept : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace blynk::store
