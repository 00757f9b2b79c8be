// Configuration: the data folder.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "config/cli.hpp"
#include "config/keys.hpp"
#include "config/paths.hpp"
#include "config/properties.hpp"
#include "tests/unit/config_test_support.hpp"

using namespace blynk::config;
using namespace blynk::config::test;

namespace {

// ---------------------------------------------------------------------------------------------
// Data folder

TEST(ConfigPaths, DefaultDataFolderRules) {
    DataDirEnv env;
    env.home = "/home/ann";
    EXPECT_EQ(default_data_folder(env), fs::path("/home/ann/.local/share/blynkd"));
    env.xdg_data_home = "relative/ignored";
    EXPECT_EQ(default_data_folder(env), fs::path("/home/ann/.local/share/blynkd"));
    env.xdg_data_home = "/home/ann/xdg";
    EXPECT_EQ(default_data_folder(env), fs::path("/home/ann/xdg/blynkd"));
    env.is_root = true;
    env.var_lib_exists = false;
    EXPECT_EQ(default_data_folder(env), fs::path("/home/ann/xdg/blynkd"));
    env.var_lib_exists = true;
    EXPECT_EQ(default_data_folder(env), fs::path("/var/lib/blynkd"));
    env.blynkd_data_dir = "/srv/blynkd";
    EXPECT_EQ(default_data_folder(env), fs::path("/srv/blynkd"));

    DataDirEnv nothing;
    EXPECT_NE(error_of([&] { default_data_folder(nothing); }).find("--data-dir"),
              std::string::npos);
}

TEST(ConfigPaths, RefusesTemporaryFolders) {
    EXPECT_TRUE(is_temporary_path("/tmp"));
    EXPECT_TRUE(is_temporary_path("/tmp/"));
    EXPECT_TRUE(is_temporary_path("/tmp/blynk"));
    EXPECT_TRUE(is_temporary_path("/var/tmp/x/y"));
    EXPECT_TRUE(is_temporary_path("/srv/../tmp/x"));
    EXPECT_FALSE(is_temporary_path("/tmpfoo/x"));
    EXPECT_FALSE(is_temporary_path("/tmp/../srv/x"));
    EXPECT_FALSE(is_temporary_path("/var/lib/blynkd"));

    const std::string message = error_of([] { check_data_folder("/tmp/blynk", false); });
    EXPECT_EQ(message.rfind("data folder \"/tmp/blynk\" is under /tmp or /var/tmp", 0), 0u)
        << message;
    EXPECT_NE(message.find("BLYNKD_ALLOW_TMP_DATA=1"), std::string::npos);
    EXPECT_NE(message.find("--data-dir"), std::string::npos);
    EXPECT_NO_THROW(check_data_folder("/tmp/blynk", true));
    EXPECT_NO_THROW(check_data_folder("/srv/blynk", false));
}

TEST(ConfigPaths, RefusesSymlinkIntoTmp) {
    const fs::path cwd = fs::current_path();
    if (is_temporary_path(cwd)) GTEST_SKIP() << "working directory is itself under /tmp";
    TempDir target;
    const fs::path link = cwd / ("blynkd_config_test_link_" + std::to_string(::getpid()));
    std::error_code ec;
    fs::create_directory_symlink(target.path(), link, ec);
    if (ec) GTEST_SKIP() << "cannot create a symlink in " << cwd << ": " << ec.message();
    const bool via_link = is_temporary_path(link / "data");
    fs::remove(link, ec);
    EXPECT_TRUE(via_link);
}

TEST(ConfigPaths, ResolveDataFolder) {
    EnvGuard allow("BLYNKD_ALLOW_TMP_DATA", std::nullopt);
    EnvGuard dir("BLYNKD_DATA_DIR", "/srv/blynkd-from-env/");
    Settings s;
    EXPECT_EQ(resolve_data_folder(s), fs::path("/srv/blynkd-from-env"));

    s.data_folder = "rel/./data";
    {
        // Relative to the working directory, which may itself be under /tmp in some runs.
        EnvGuard one("BLYNKD_ALLOW_TMP_DATA", "1");
        EXPECT_EQ(resolve_data_folder(s), (fs::current_path() / "rel/data").lexically_normal());
    }

    s.data_folder = "/tmp/blynkd-test";
    EXPECT_NE(error_of([&] { resolve_data_folder(s); }).find("/tmp/blynkd-test"),
              std::string::npos);
    {
        EnvGuard not_one("BLYNKD_ALLOW_TMP_DATA", "yes");
        EXPECT_FALSE(tmp_data_allowed());
        EXPECT_THROW(resolve_data_folder(s), ConfigError);
    }
    {
        EnvGuard one("BLYNKD_ALLOW_TMP_DATA", "1");
        EXPECT_TRUE(tmp_data_allowed());
        EXPECT_EQ(resolve_data_folder(s), fs::path("/tmp/blynkd-test"));
    }
    EnvGuard tmp_env("BLYNKD_DATA_DIR", "/var/tmp/blynkd");
    s.data_folder.clear();
    EXPECT_THROW(resolve_data_folder(s), ConfigError);
}

}  // namespace
