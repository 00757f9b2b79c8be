#pragma once
// Who may run blynkd on which data folder. The server needs no privilege (its default ports are
// above 1024, and a lower one needs only CAP_NET_BIND_SERVICE), so it refuses to run as root unless
// told to. Any command run as root in a data folder that belongs to another user (`sudo blynkd user
// add ...` on the service's /var/lib/blynkd) would leave root-owned files there that the service
// can no longer open, so that is refused too.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/cli.hpp"
#include "config/settings.hpp"

namespace blynk::config {

/// The owner of an existing data folder.
struct FolderOwner {
    uid_t uid = 0;
    std::string name;  ///< the user's name, or the number when it has none
};

/// What check_privileges() decided: a refusal (one line, saying why and what to do) or warnings.
struct PrivilegeCheck {
    std::optional<std::string> refusal;
    std::vector<std::string> warnings;
};

/// The rules, without looking at the process: `euid` runs `subcommand` on `folder` (owned by
/// `owner`, or not there yet when `owner` is empty).
PrivilegeCheck check_privileges(Subcommand subcommand, bool allow_root, uid_t euid,
                                const std::filesystem::path& folder,
                                const std::optional<FolderOwner>& owner);

/// The owner of `folder`, or nothing when it does not exist.
std::optional<FolderOwner> folder_owner(const std::filesystem::path& folder);

/// The files that hold secrets: the database in `folder`, the TLS key (server.ssl.key, or the
/// generated one in the folder) and mail.properties when one is used.
std::vector<std::filesystem::path> secret_files(const Settings& settings,
                                                const std::filesystem::path& folder);

/// A warning for each of `files` that exists and that other users may read or write.
std::vector<std::string> open_secret_files(const std::vector<std::filesystem::path>& files);

/// check_privileges() for this process: throws ConfigError with the refusal, returns the warnings,
/// with open_secret_files() of `secrets` among them.
std::vector<std::string> enforce_privileges(Subcommand subcommand, bool allow_root,
                                            const std::filesystem::path& folder,
                                            const std::vector<std::filesystem::path>& secrets);

}  // namespace blynk::config
