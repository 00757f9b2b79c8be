// Configuration: the command line and load_config().

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
// Command line

TEST(ConfigCli, NoArgumentsMeansRunWithDefaults) {
    CommandLine cl = parse_command_line({});
    EXPECT_EQ(cl.subcommand, Subcommand::Run);
    EXPECT_FALSE(cl.subcommand_given);
    EXPECT_TRUE(cl.sub_args.empty());
    EXPECT_TRUE(cl.overrides.empty());
    EXPECT_FALSE(cl.config_file.has_value());
    EXPECT_FALSE(cl.show_help);
    EXPECT_EQ(subcommand_name(Subcommand::Run), "run");
    EXPECT_EQ(subcommand_name(Subcommand::User), "user");
    EXPECT_EQ(subcommand_name(Subcommand::Device), "device");
    EXPECT_EQ(subcommand_name(Subcommand::Backup), "backup");
    EXPECT_EQ(subcommand_name(Subcommand::Restore), "restore");
    EXPECT_EQ(subcommand_name(Subcommand::ImportJava), "import-java");
}

TEST(ConfigCli, DataSubcommandsKeepTheirFlags) {
    CommandLine cl = parse_command_line(
        {"import-java", "/srv/blynk", "--dry-run", "--overwrite", "--data-dir", "./data"});
    EXPECT_EQ(cl.subcommand, Subcommand::ImportJava);
    EXPECT_EQ(cl.sub_args, (std::vector<std::string>{"/srv/blynk", "--dry-run", "--overwrite"}));
    ASSERT_EQ(cl.overrides.size(), 1u);
    EXPECT_EQ(parse_command_line({"backup", "b.db"}).subcommand, Subcommand::Backup);
    EXPECT_EQ(parse_command_line({"restore", "b.db"}).subcommand, Subcommand::Restore);
}

TEST(ConfigCli, JavaLauncherFlags) {
    TempDir dir;
    LoadedConfig c = load_config({"-dataFolder", "/srv/blynk", "-hardPort", "8081", "-appPort",
                                  "9444", "-workerThreads", "4"},
                                 dir.path() / "absent.properties");
    EXPECT_EQ(c.settings.data_folder, fs::path("/srv/blynk"));
    EXPECT_EQ(c.settings.http_port, 8081);
    EXPECT_EQ(c.settings.https_port, 9444);
    EXPECT_EQ(c.settings.server_worker_threads, 4u);
    EXPECT_EQ(c.subcommand, Subcommand::Run);
    EXPECT_FALSE(c.config_file_used.has_value());

    fs::path file = dir.write("java.properties", "http.port=1111\n");
    c = load_config({"-serverConfig", file.string()}, dir.path() / "absent.properties");
    EXPECT_EQ(c.settings.http_port, 1111);
    EXPECT_EQ(c.config_file_used, file);

    EXPECT_EQ(error_of([] {
                  parse_command_line({"-hardPort", "http"});
              }),
              "-hardPort: http.port = \"http\": expected a whole number from 0 to 65535 (run "
              "\"blynkd --help\" for usage)");
    EXPECT_EQ(error_of([] {
                  parse_command_line({"-workerThreads", "999"});
              }),
              "-workerThreads: server.worker.threads = \"999\": expected a whole number from 0 to "
              "256 (run \"blynkd --help\" for usage)");

    CommandLine cl = parse_command_line({"-smsConfig", "sms.properties"});
    ASSERT_EQ(cl.warnings.size(), 1u);
    EXPECT_EQ(cl.warnings[0],
              "-smsConfig sms.properties: accepted for compatibility with the Java server and "
              "has no effect");
    cl = parse_command_line({"-mailConfig", "/etc/blynkd/mail.properties"});
    ASSERT_EQ(cl.overrides.size(), 1u);
    EXPECT_EQ(cl.overrides[0].key, "mail.config");
    EXPECT_NE(error_of([] { parse_command_line({"-restore"}); }).find("-restore"),
              std::string::npos);
}

TEST(ConfigCli, PrecedenceDefaultsThenFileThenCommandLine) {
    TempDir dir;
    fs::path file = dir.write("my.properties", "http.port=1111\nhttps.port=2222\nlog.level=warn\n");
    LoadedConfig c = load_config(
        {"--config", file.string(), "--set", "http.port=3333", "--set", "log.level = debug"},
        dir.path() / "absent.properties");
    EXPECT_EQ(c.settings.http_port, 3333);   // command line beats the file
    EXPECT_EQ(c.settings.https_port, 2222);  // file beats the default
    EXPECT_EQ(c.settings.log_level, "debug");
    EXPECT_EQ(c.settings.login_timeout_seconds, 10u);  // default
    ASSERT_TRUE(c.config_file_used.has_value());
    EXPECT_EQ(*c.config_file_used, file);

    // Command-line options apply in order: the later one wins.
    c = load_config(
        {"--set", "http.port=1", "-hardPort", "2", "--data-dir", "/a", "-dataFolder", "/b"},
        dir.path() / "absent.properties");
    EXPECT_EQ(c.settings.http_port, 2);
    EXPECT_EQ(c.settings.data_folder, fs::path("/b"));
    c = load_config({"-hardPort", "2", "--set", "http.port=1"}, dir.path() / "absent.properties");
    EXPECT_EQ(c.settings.http_port, 1);
}

TEST(ConfigCli, ImplicitServerPropertiesOnlyWhenPresent) {
    TempDir dir;
    fs::path implicit = dir.path() / "server.properties";
    LoadedConfig c = load_config({}, implicit);
    EXPECT_FALSE(c.config_file_used.has_value());
    EXPECT_EQ(c.settings.http_port, 8080);

    dir.write("server.properties", "http.port=4444\nrenewal.disabled=true\n");
    c = load_config({"--set", "https.port=5555"}, implicit);
    ASSERT_TRUE(c.config_file_used.has_value());
    EXPECT_EQ(*c.config_file_used, implicit);
    EXPECT_EQ(c.settings.http_port, 4444);
    EXPECT_EQ(c.settings.https_port, 5555);
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].find(":2: key \"renewal.disabled\""), std::string::npos);

    // An explicit file replaces the implicit one, and must exist.
    fs::path other = dir.write("other.properties", "https.port=6666\n");
    c = load_config({"--config=" + other.string()}, implicit);
    EXPECT_EQ(c.settings.http_port, 8080);
    EXPECT_EQ(c.settings.https_port, 6666);
    const fs::path missing = dir.path() / "missing.properties";
    EXPECT_EQ(error_of([&] {
                  load_config({"-serverConfig", missing.string()}, implicit);
              }),
              "config file \"" + missing.string() +
                  "\" given with -serverConfig does not exist (run \"blynkd --help\" for usage)");
}

TEST(ConfigCli, SetErrorsSayWhereTheyCameFrom) {
    EXPECT_EQ(error_of([] {
                  parse_command_line({"--set", "http.port=80a"});
              }),
              "--set: http.port = \"80a\": expected a whole number from 0 to 65535 (run \"blynkd "
              "--help\" for usage)");
    EXPECT_EQ(error_of([] {
                  parse_command_line({"--set", "http.prot=80"});
              }),
              "--set: unknown key \"http.prot\" (did you mean \"http.port\"?) (run \"blynkd "
              "--help\" for usage)");
    EXPECT_EQ(error_of([] {
                  parse_command_line({"--set", "http.port"});
              }),
              "--set \"http.port\": expected KEY=VALUE, e.g. --set http.port=8080 (run \"blynkd "
              "--help\" for usage)");
    EXPECT_EQ(error_of([] { parse_command_line({"--set"}); }),
              "--set needs a value (KEY=VALUE) (run \"blynkd --help\" for usage)");
    EXPECT_EQ(error_of([] {
                  parse_command_line({"run", "--data-dir"});
              }),
              "--data-dir needs a value (a folder) (run \"blynkd --help\" for usage)");
    EXPECT_EQ(error_of([] { parse_command_line({"--version=2"}); }),
              "--version takes no value (run \"blynkd --help\" for usage)");

    CommandLine cl = parse_command_line({"--set=hardware.mqtt.port=8440", "--set=http.port=5"});
    ASSERT_EQ(cl.warnings.size(), 1u);
    EXPECT_EQ(cl.warnings[0],
              "--set: key \"hardware.mqtt.port\" is accepted for compatibility with the Java "
              "server and has no effect");
    ASSERT_EQ(cl.overrides.size(), 1u);
    EXPECT_EQ(cl.overrides[0].option, "--set");
    EXPECT_EQ(cl.overrides[0].key, "http.port");
    EXPECT_EQ(cl.overrides[0].value, "5");
}

TEST(ConfigCli, UnknownOptionsAndCommands) {
    EXPECT_EQ(error_of([] {
                  parse_command_line({"--data-dri", "x"});
              }),
              "unknown option \"--data-dri\" (did you mean \"--data-dir\"?) (run \"blynkd --help\" "
              "for usage)");
    EXPECT_EQ(error_of([] {
                  parse_command_line({"-hardport", "1"});
              }),
              "unknown option \"-hardport\" (did you mean \"-hardPort\"?) (run \"blynkd --help\" "
              "for usage)");
    EXPECT_EQ(error_of([] { parse_command_line({"serve"}); }),
              "unknown command \"serve\"; expected run, user, device, backup, restore or "
              "import-java (run \"blynkd --help\" for usage)");
}

TEST(ConfigCli, SubcommandArgumentsKeepOrderAndGlobalOptionsArePulledOut) {
    CommandLine cl = parse_command_line({"--data-dir", "./data", "device", "add", "a@b.c", "--name",
                                         "Kitchen", "--config", "f.properties", "--board", "ESP32",
                                         "--set", "log.level=debug", "--dash", "7"});
    EXPECT_EQ(cl.subcommand, Subcommand::Device);
    EXPECT_TRUE(cl.subcommand_given);
    EXPECT_EQ(cl.sub_args, (std::vector<std::string>{"add", "a@b.c", "--name", "Kitchen", "--board",
                                                     "ESP32", "--dash", "7"}));
    ASSERT_TRUE(cl.config_file.has_value());
    EXPECT_EQ(*cl.config_file, fs::path("f.properties"));
    ASSERT_EQ(cl.overrides.size(), 2u);
    EXPECT_EQ(cl.overrides[0].key, "data.folder");
    EXPECT_EQ(cl.overrides[0].value, "./data");
    EXPECT_EQ(cl.overrides[1].key, "log.level");

    cl =
        parse_command_line({"user", "add", "me@x.org", "--password", "s3cret", "-dataFolder", "d"});
    EXPECT_EQ(cl.subcommand, Subcommand::User);
    EXPECT_EQ(cl.sub_args, (std::vector<std::string>{"add", "me@x.org", "--password", "s3cret"}));
    ASSERT_EQ(cl.overrides.size(), 1u);
    EXPECT_EQ(cl.overrides[0].value, "d");

    // Words after the subcommand that look like subcommands or unknown options are its own.
    cl = parse_command_line({"device", "list", "run", "--verbose"});
    EXPECT_EQ(cl.subcommand, Subcommand::Device);
    EXPECT_EQ(cl.sub_args, (std::vector<std::string>{"list", "run", "--verbose"}));

    cl = parse_command_line({"run"});
    EXPECT_EQ(cl.subcommand, Subcommand::Run);
    EXPECT_TRUE(cl.subcommand_given);
    EXPECT_TRUE(cl.sub_args.empty());

    LoadedConfig c = load_config({"device", "token-refresh", "TOKEN", "--set", "http.port=9"},
                                 "/nonexistent/server.properties");
    EXPECT_EQ(c.subcommand, Subcommand::Device);
    EXPECT_EQ(c.sub_args, (std::vector<std::string>{"token-refresh", "TOKEN"}));
    EXPECT_EQ(c.settings.http_port, 9);
}

TEST(ConfigCli, DoubleDashEndsOptionHandling) {
    CommandLine cl = parse_command_line({"user", "add", "x@y", "--", "--config", "--password"});
    EXPECT_EQ(cl.sub_args,
              (std::vector<std::string>{"add", "x@y", "--", "--config", "--password"}));
    EXPECT_FALSE(cl.config_file.has_value());

    cl = parse_command_line({"--set", "http.port=1", "--", "device", "--set", "x"});
    EXPECT_EQ(cl.subcommand, Subcommand::Device);
    EXPECT_EQ(cl.sub_args, (std::vector<std::string>{"--set", "x"}));
    EXPECT_EQ(cl.overrides.size(), 1u);
}

TEST(ConfigCli, AllowRootIsAGlobalFlag) {
    EXPECT_FALSE(parse_command_line({}).allow_root);
    EXPECT_TRUE(parse_command_line({"--allow-root"}).allow_root);
    CommandLine cl = parse_command_line({"user", "list", "--allow-root"});
    EXPECT_TRUE(cl.allow_root);
    EXPECT_EQ(cl.sub_args, std::vector<std::string>{"list"});
    EXPECT_TRUE(load_config({"backup", "--allow-root", "f.db"}, "/nonexistent").allow_root);
    EXPECT_NE(usage_text().find("--allow-root"), std::string::npos);
}

TEST(ConfigCli, HelpAndVersionSkipLoading) {
    LoadedConfig c = load_config({"--help", "--config", "/nonexistent/x.properties"});
    EXPECT_TRUE(c.show_help);
    EXPECT_FALSE(c.config_file_used.has_value());
    c = load_config({"user", "-h"});
    EXPECT_TRUE(c.show_help);
    EXPECT_EQ(c.subcommand, Subcommand::User);
    c = load_config({"--version"});
    EXPECT_TRUE(c.show_version);
    EXPECT_FALSE(c.show_help);

    EXPECT_EQ(version_text().rfind("blynkd ", 0), 0u);
    EXPECT_GT(version_text().size(), std::string("blynkd ").size());

    const std::string usage = usage_text();
    for (const char* needle :
         {"user add EMAIL [--password PASS]",
          "device add EMAIL [--name NAME] [--board BOARD] [--dash DASH_ID]", "device list [EMAIL]",
          "device token-refresh TOKEN", "run", "--config FILE", "-serverConfig FILE",
          "--data-dir DIR", "-dataFolder DIR", "--set KEY=VALUE", "-hardPort N", "-appPort N",
          "-workerThreads N", "--help", "--version", "server.properties"}) {
        EXPECT_NE(usage.find(needle), std::string::npos) << needle;
    }
}

TEST(ConfigCli, LoadConfigFromArgv) {
    const char* argv[] = {"blynkd",       "--data-dir", "/srv/b", "--set",
                          "https.port=0", "user",       "add",    "a@b"};
    // The implicit ./server.properties of the test's working directory must not interfere.
    ASSERT_FALSE(fs::exists("server.properties"));
    LoadedConfig c = load_config(8, argv);
    EXPECT_EQ(c.settings.data_folder, fs::path("/srv/b"));
    EXPECT_EQ(c.settings.https_port, 0);
    EXPECT_EQ(c.subcommand, Subcommand::User);
    EXPECT_EQ(c.sub_args, (std::vector<std::string>{"add", "a@b"}));
}

}  // namespace
