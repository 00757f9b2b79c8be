// The rules of config/privileges: who may run what on which data folder.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "config/privileges.hpp"

namespace blynk::config {
namespace {

const std::filesystem::path kFolder = "/var/lib/blynkd";
const FolderOwner kService{999, "blynkd"};
const FolderOwner kRoot{0, "root"};

TEST(PrivilegesTest, TheServerRefusesRootUnlessAllowed) {
    PrivilegeCheck check = check_privileges(Subcommand::Run, false, 0, kFolder, std::nullopt);
    ASSERT_TRUE(check.refusal);
    EXPECT_TRUE(check.refusal->starts_with("refusing to run the server as root: "));
    EXPECT_TRUE(check.refusal->ends_with(", or pass --allow-root"));
    EXPECT_EQ(check.refusal->find('\n'), std::string::npos) << "one line";

    check = check_privileges(Subcommand::Run, true, 0, kFolder, kRoot);
    EXPECT_FALSE(check.refusal);
    EXPECT_EQ(check.warnings, std::vector<std::string>{"running as root, as --allow-root asks"});
}

TEST(PrivilegesTest, CommandsAsRootRefuseOnlyAFolderOfAnotherUser) {
    for (const auto& owner : {std::optional<FolderOwner>{}, std::optional<FolderOwner>{kRoot}}) {
        PrivilegeCheck check = check_privileges(Subcommand::User, false, 0, kFolder, owner);
        EXPECT_FALSE(check.refusal);
        EXPECT_TRUE(check.warnings.empty());
    }
    PrivilegeCheck check = check_privileges(Subcommand::Backup, false, 0, kFolder, kService);
    ASSERT_TRUE(check.refusal);
    EXPECT_EQ(*check.refusal,
              "refusing to run \"backup\" as root on data folder /var/lib/blynkd, which belongs "
              "to user blynkd: files root creates there would lock that user's server out; run "
              "it as that user (sudo -u blynkd blynkd ...), or pass --allow-root");
    check = check_privileges(Subcommand::Backup, true, 0, kFolder, kService);
    EXPECT_FALSE(check.refusal);
    ASSERT_EQ(check.warnings.size(), 1u);
    EXPECT_TRUE(check.warnings[0].starts_with(
        "data folder /var/lib/blynkd belongs to user blynkd, not to root: "));
}

TEST(PrivilegesTest, OtherUsersAreWarnedAboutAFolderThatIsNotTheirs) {
    EXPECT_FALSE(check_privileges(Subcommand::Run, false, 999, kFolder, kService).refusal);
    EXPECT_TRUE(check_privileges(Subcommand::Run, false, 999, kFolder, kService).warnings.empty());
    EXPECT_TRUE(
        check_privileges(Subcommand::Run, false, 999, kFolder, std::nullopt).warnings.empty());
    PrivilegeCheck check = check_privileges(Subcommand::Device, false, 1000, kFolder, kService);
    EXPECT_FALSE(check.refusal);
    ASSERT_EQ(check.warnings.size(), 1u);
    EXPECT_NE(check.warnings[0].find("belongs to user blynkd"), std::string::npos);
}

TEST(PrivilegesTest, TheSecretsAreTheDatabaseAndTheKeyInUse) {
    Settings settings;
    EXPECT_EQ(secret_files(settings, kFolder),
              (std::vector<std::filesystem::path>{kFolder / "blynkd.db", kFolder / "tls/key.pem"}));
    settings.ssl_key = "/etc/letsencrypt/live/example.org/privkey.pem";
    EXPECT_EQ(secret_files(settings, kFolder),
              (std::vector<std::filesystem::path>{
                  kFolder / "blynkd.db", "/etc/letsencrypt/live/example.org/privkey.pem"}));
    settings.mail_config = "/etc/blynkd/mail.properties";
    EXPECT_EQ(secret_files(settings, kFolder).back(), "/etc/blynkd/mail.properties");
}

TEST(PrivilegesTest, SecretFilesOthersCanReadAreNamed) {
    namespace fs = std::filesystem;
    const fs::path folder =
        fs::temp_directory_path() / ("privileges-test-" + std::to_string(::getpid()));
    fs::create_directories(folder);
    const fs::path tight = folder / "tight.pem", loose = folder / "loose.pem";
    std::ofstream(tight) << "k";
    std::ofstream(loose) << "k";
    fs::permissions(tight, fs::perms::owner_read | fs::perms::owner_write);
    fs::permissions(loose, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    const auto warnings = open_secret_files({tight, loose, folder / "missing.pem"});
    fs::remove_all(folder);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0], loose.string() +
                               " is open to other users (mode 0640); blynkd makes its files 0600: "
                               "chmod go-rwx " +
                               loose.string());
}

}  // namespace
}  // namespace blynk::config
