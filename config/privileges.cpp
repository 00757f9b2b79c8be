#include "config/privileges.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "config/keys.hpp"

namespace blynk::config {
namespace {

std::string user_name(uid_t uid) {
    passwd entry{};
    passwd* found = nullptr;
    std::string buffer(16384, '\0');
    if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
        return found->pw_name;
    }
    return std::to_string(uid);
}

}  // namespace

std::vector<std::filesystem::path> secret_files(const Settings& settings,
                                                const std::filesystem::path& folder) {
    // The TLS key is the generated one in the folder unless server.ssl.key names another;
    // mail.properties holds the SMTP password.
    std::vector<std::filesystem::path> files{folder / "blynkd.db"};
    files.push_back(settings.ssl_key.empty() ? folder / "tls" / "key.pem"
                                             : std::filesystem::path(settings.ssl_key));
    if (!settings.mail_config.empty()) files.emplace_back(settings.mail_config);
    return files;
}

// Files made before blynkd set its umask (or copied in) may be readable by others.
std::vector<std::string> open_secret_files(const std::vector<std::filesystem::path>& files) {
    std::vector<std::string> warnings;
    for (const std::filesystem::path& file : files) {
        struct stat st {};
        if (::stat(file.c_str(), &st) != 0 || (st.st_mode & 077) == 0) continue;
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        warnings.push_back(file.string() + " is open to other users (mode " + mode +
                           "); blynkd makes its files 0600: chmod go-rwx " + file.string());
    }
    return warnings;
}

PrivilegeCheck check_privileges(Subcommand subcommand, bool allow_root, uid_t euid,
                                const std::filesystem::path& folder,
                                const std::optional<FolderOwner>& owner) {
    PrivilegeCheck check;
    const bool foreign_folder = owner && owner->uid != euid;
    if (euid == 0 && !allow_root) {
        if (subcommand == Subcommand::Run) {
            check.refusal =
                "refusing to run the server as root: a network service should not hold every "
                "privilege of the machine; run it as a normal user (the Debian package's systemd "
                "unit and the Docker image do), or pass --allow-root";
        } else if (foreign_folder) {
            check.refusal = "refusing to run \"" + std::string(subcommand_name(subcommand)) +
                            "\" as root on data folder " + folder.string() +
                            ", which belongs to user " + owner->name +
                            ": files root creates there would lock that user's server out; run "
                            "it as that user (sudo -u " +
                            owner->name + " blynkd ...), or pass --allow-root";
        }
        return check;
    }
    if (euid == 0 && subcommand == Subcommand::Run) {
        check.warnings.push_back("running as root, as --allow-root asks");
    }
    if (foreign_folder) {
        check.warnings.push_back("data folder " + folder.string() + " belongs to user " +
                                 owner->name + ", not to " + user_name(euid) +
                                 ": files created now may be unusable for " + owner->name);
    }
    return check;
}

std::optional<FolderOwner> folder_owner(const std::filesystem::path& folder) {
    struct stat st {};
    if (::stat(folder.c_str(), &st) != 0) return std::nullopt;
    return FolderOwner{st.st_uid, user_name(st.st_uid)};
}

std::vector<std::string> enforce_privileges(Subcommand subcommand, bool allow_root,
                                            const std::filesystem::path& folder,
                                            const std::vector<std::filesystem::path>& secrets) {
    PrivilegeCheck check =
        check_privileges(subcommand, allow_root, ::geteuid(), folder, folder_owner(folder));
    if (check.refusal) throw ConfigError(*check.refusal);
    for (std::string& warning : open_secret_files(secrets))
        check.warnings.push_back(std::move(warning));
    return std::move(check.warnings);
}

}  // namespace blynk::config
