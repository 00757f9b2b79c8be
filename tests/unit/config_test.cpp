// Configuration: key table, properties reader, command line, data folder, and the agreement of
// server.properties.example and docs/configuration.md with the key table.

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

namespace fs = std::filesystem;
using namespace blynk::config;

namespace {

// The message of the ConfigError `f` throws; fails the test when it throws nothing.
template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected a ConfigError";
    return {};
}

const KeySpec& key(std::string_view name) {
    const KeySpec* k = find_key(name);
    if (k == nullptr) throw std::logic_error("no key " + std::string(name));
    return *k;
}

// Sets or unsets an environment variable for one test and restores it afterwards.
class EnvGuard {
public:
    EnvGuard(const char* name, std::optional<std::string> value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) {
            ::setenv(name, value->c_str(), 1);
        } else {
            ::unsetenv(name);
        }
    }
    ~EnvGuard() {
        if (old_) {
            ::setenv(name_, old_->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

// A scratch folder removed at the end of the test.
class TempDir {
public:
    TempDir() {
        static int counter = 0;
        path_ = fs::temp_directory_path() / ("blynkd_config_test_" + std::to_string(::getpid()) +
                                             "_" + std::to_string(counter++));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    fs::path write(const std::string& name, const std::string& content) const {
        fs::path p = path_ / name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

private:
    fs::path path_;
};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// ---------------------------------------------------------------------------------------------
// Key table

TEST(ConfigKeys, TableIsConsistentWithSettingsDefaults) {
    const Settings defaults;
    std::set<std::string_view> names;
    for (const KeySpec& k : key_table()) {
        SCOPED_TRACE(std::string(k.name));
        EXPECT_TRUE(names.insert(k.name).second) << "duplicate key";
        EXPECT_FALSE(is_ignored_key(k.name)) << "a table key is also in the ignored list";
        EXPECT_FALSE(k.doc.empty());
        // The in-class default of Settings is the table's default.
        EXPECT_EQ(value_text(k, defaults), k.default_text);
        // The default text parses and stores the same value.
        Settings s;
        EXPECT_EQ(set_value(k, k.default_text, s), std::nullopt);
        EXPECT_EQ(value_text(k, s), k.default_text);
        // The declared type fits the member it writes.
        std::visit(
            [&](auto member) {
                using F = std::remove_cvref_t<decltype(s.*member)>;
                switch (k.type) {
                    case KeyType::Uint16:
                        EXPECT_TRUE((std::is_same_v<F, std::uint16_t>));
                        EXPECT_LE(k.max, 65535u);
                        break;
                    case KeyType::Uint32:
                        EXPECT_TRUE((std::is_same_v<F, std::uint32_t>));
                        break;
                    case KeyType::Bool:
                        EXPECT_TRUE((std::is_same_v<F, bool>));
                        break;
                    case KeyType::String:
                    case KeyType::Enum:
                        EXPECT_TRUE((std::is_same_v<F, std::string>));
                        break;
                    case KeyType::Path:
                        EXPECT_TRUE(
                            (std::is_same_v<F, std::string> || std::is_same_v<F, fs::path>));
                        break;
                }
            },
            k.field);
        if (k.type == KeyType::Uint16 || k.type == KeyType::Uint32) {
            EXPECT_LE(k.min, k.max);
        }
        EXPECT_EQ(k.type == KeyType::Enum, !k.choices.empty());
    }
    EXPECT_EQ(names.size(), 39u) << "a key was added or removed: update this count deliberately";
    EXPECT_EQ(type_name(key("http.port").type), "uint16");
    EXPECT_EQ(type_name(key("log.level").type), "enum");
    EXPECT_EQ(type_name(key("data.folder").type), "path");
}

TEST(ConfigKeys, NumbersAreCheckedAgainstBounds) {
    Settings s;
    const KeySpec& login = key("login.timeout");
    EXPECT_EQ(set_value(login, "1", s), std::nullopt);
    EXPECT_EQ(s.login_timeout_seconds, 1u);
    EXPECT_EQ(set_value(login, " 300 ", s), std::nullopt);
    EXPECT_EQ(s.login_timeout_seconds, 300u);
    for (const char* bad :
         {"0", "301", "abc", "-1", "+5", "1e3", "0x10", "10 s", "1.5", "99999999999999999999999"}) {
        SCOPED_TRACE(bad);
        EXPECT_EQ(set_value(login, bad, s), "expected a whole number from 1 to 300");
        EXPECT_EQ(s.login_timeout_seconds, 300u) << "a rejected value must not be stored";
    }
    EXPECT_EQ(set_value(key("storage.flush.interval.ms"), "9", s),
              "expected a whole number from 10 to 60000");
    EXPECT_EQ(set_value(key("hardware.max.body.size"), "65536", s),
              "expected a whole number from 64 to 65535");
    EXPECT_EQ(set_value(key("server.worker.threads"), "257", s),
              "expected a whole number from 0 to 256");
    EXPECT_EQ(set_value(key("user.message.quota.limit"), "1000000", s), std::nullopt);
    EXPECT_EQ(s.user_message_quota_limit, 1000000u);
}

TEST(ConfigKeys, PortsAllowZeroMeaningEphemeralOrOff) {
    Settings s;
    EXPECT_EQ(set_value(key("http.port"), "0", s), std::nullopt);
    EXPECT_EQ(s.http_port, 0);
    EXPECT_EQ(set_value(key("https.port"), "65535", s), std::nullopt);
    EXPECT_EQ(s.https_port, 65535);
    EXPECT_EQ(set_value(key("hardware.ssl.port"), "8441", s), std::nullopt);
    EXPECT_EQ(s.hardware_ssl_port, 8441);
    EXPECT_EQ(set_value(key("https.port"), "65536", s), "expected a whole number from 0 to 65535");
    EXPECT_EQ(s.https_port, 65535);
}

TEST(ConfigKeys, BoolsAreTrueOrFalseInAnyCase) {
    Settings s;
    const KeySpec& ack = key("hardware.write.ack");
    EXPECT_EQ(set_value(ack, "TRUE", s), std::nullopt);
    EXPECT_TRUE(s.hardware_write_ack);
    EXPECT_EQ(set_value(ack, "False", s), std::nullopt);
    EXPECT_FALSE(s.hardware_write_ack);
    EXPECT_EQ(set_value(ack, "tRuE", s), std::nullopt);
    EXPECT_TRUE(s.hardware_write_ack);
    for (const char* bad : {"yes", "1", "on", "truee"}) {
        EXPECT_EQ(set_value(ack, bad, s), "expected true or false") << bad;
    }
    EXPECT_TRUE(s.hardware_write_ack);
}

TEST(ConfigKeys, EnumsAndStringsAndEmptyMeansDefault) {
    Settings s;
    EXPECT_EQ(set_value(key("log.level"), "WARN", s), std::nullopt);
    EXPECT_EQ(s.log_level, "warn");
    EXPECT_EQ(set_value(key("log.level"), "verbose", s),
              "expected one of trace, debug, info, warn, error, critical, off");
    EXPECT_EQ(s.log_level, "warn");

    EXPECT_EQ(set_value(key("server.host"), "  blynk.example.org ", s), std::nullopt);
    EXPECT_EQ(s.server_host, "blynk.example.org");
    EXPECT_EQ(set_value(key("data.folder"), "/srv/blynkd", s), std::nullopt);
    EXPECT_EQ(s.data_folder, fs::path("/srv/blynkd"));

    s.http_port = 1;
    s.latest_tls = false;
    EXPECT_EQ(set_value(key("http.port"), "", s), std::nullopt);
    EXPECT_EQ(set_value(key("latest.tls"), "   ", s), std::nullopt);
    EXPECT_EQ(set_value(key("log.level"), "", s), std::nullopt);
    EXPECT_EQ(set_value(key("server.host"), "", s), std::nullopt);
    EXPECT_EQ(s.http_port, 8080);
    EXPECT_TRUE(s.latest_tls);
    EXPECT_EQ(s.log_level, "info");
    EXPECT_EQ(s.server_host, "");
}

TEST(ConfigKeys, EditDistanceAndSuggestions) {
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("http.port", "http.port"), 0u);
    EXPECT_EQ(edit_distance("http.prot", "http.port"), 2u);

    EXPECT_EQ(suggest_key("http.prot"), std::optional<std::string_view>("http.port"));
    EXPECT_EQ(suggest_key("htps.port"), std::optional<std::string_view>("https.port"));
    EXPECT_EQ(suggest_key("log.levle"), std::optional<std::string_view>("log.level"));
    // Ignored Java keys are suggested too: the typo is still a typo.
    EXPECT_EQ(suggest_key("logs.foldr"), std::optional<std::string_view>("logs.folder"));
    EXPECT_EQ(suggest_key("completely.unrelated.setting"), std::nullopt);
    EXPECT_EQ(suggest_key("xyz"), std::nullopt);
}

TEST(ConfigKeys, ApplyKeyValueMessages) {
    Settings s;
    std::vector<std::string> warnings;
    EXPECT_EQ(error_of([&] { apply_key_value("f:1", "login.timeout", "0", s, warnings); }),
              "f:1: login.timeout = \"0\": expected a whole number from 1 to 300");
    EXPECT_EQ(error_of([&] { apply_key_value("f:2", "", "x", s, warnings); }),
              "f:2: missing key before the value");
    apply_key_value("f:3", "admin.rootPath", "/admin", s, warnings);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0],
              "f:3: key \"admin.rootPath\" is accepted for compatibility with the Java server and "
              "has no effect");
    EXPECT_EQ(ignored_keys().size(), 37u);
    EXPECT_TRUE(is_ignored_key("hardware.mqtt.port"));
    EXPECT_TRUE(is_ignored_key("vendor.email"));
    EXPECT_FALSE(is_ignored_key("http.port"));
}

// ---------------------------------------------------------------------------------------------
// Properties reader

TEST(ConfigProperties, AppliesValuesWithAllSeparators) {
    Settings s;
    auto warnings = apply_properties(
        "http.port=8081\n"
        "https.port : 9444\n"
        "server.host   blynk.example.org\n"
        "\tlog.level\t=\tdebug\t\n"
        "latest.tls:false\n"
        "hardware.write.ack = TRUE   \n",
        "server.properties", s);
    EXPECT_TRUE(warnings.empty());
    EXPECT_EQ(s.http_port, 8081);
    EXPECT_EQ(s.https_port, 9444);
    EXPECT_EQ(s.server_host, "blynk.example.org");
    EXPECT_EQ(s.log_level, "debug");
    EXPECT_FALSE(s.latest_tls);
    EXPECT_TRUE(s.hardware_write_ack);
    EXPECT_EQ(s.login_timeout_seconds, 10u);  // untouched keys keep the base value
}

TEST(ConfigProperties, CommentsBlankLinesAndLineEndings) {
    Settings s;
    auto warnings = apply_properties(
        "# a comment with http.port=1\r\n"
        "   ! another comment\r\n"
        "\r\n"
        "   \t  \r\n"
        "http.port=8082\r\n"
        "login.timeout=20\r"  // old Mac line ending
        "user.devices.limit=7",
        "server.properties", s);
    EXPECT_TRUE(warnings.empty());
    EXPECT_EQ(s.http_port, 8082);
    EXPECT_EQ(s.login_timeout_seconds, 20u);
    EXPECT_EQ(s.user_devices_limit, 7u);
}

TEST(ConfigProperties, ValueErrorNamesFileLineKeyAndAllowed) {
    Settings s;
    const std::string text =
        "# header\n"
        "\n"
        "https.port=9443\n"
        "! comment\n"
        "log.level=info\n"
        "\n"
        "http.port = 80a\n"
        "login.timeout=5\n";
    EXPECT_EQ(error_of([&] { apply_properties(text, "server.properties", s); }),
              "server.properties:7: http.port = \"80a\": expected a whole number from 0 to 65535");
    EXPECT_EQ(s.http_port, 8080) << "nothing is applied when a line is bad";
    EXPECT_EQ(error_of([&] { apply_properties("latest.tls=yes\n", "/etc/blynkd.properties", s); }),
              "/etc/blynkd.properties:1: latest.tls = \"yes\": expected true or false");
}

TEST(ConfigProperties, UnknownKeyIsAnErrorWithDidYouMean) {
    Settings s;
    EXPECT_EQ(error_of([&] {
                  apply_properties("http.port=1\n\nhttp.prot=8080\n", "server.properties", s);
              }),
              "server.properties:3: unknown key \"http.prot\" (did you mean \"http.port\"?)");
    EXPECT_EQ(error_of([&] { apply_properties("no.such.thing.at.all=1\n", "a.properties", s); }),
              "a.properties:1: unknown key \"no.such.thing.at.all\"");
}

TEST(ConfigProperties, ContinuationLinesAndLineNumbers) {
    Settings s;
    auto warnings = apply_properties(
        "server.host = blynk.\\\n"
        "        example.org\n"
        "server.ssl.key.pass = a\\\\\n"  // even number of backslashes: no continuation
        "login.timeout = 3\\\n"
        "0\n",
        "server.properties", s);
    EXPECT_TRUE(warnings.empty());
    EXPECT_EQ(s.server_host, "blynk.example.org");
    EXPECT_EQ(s.ssl_key_pass, "a\\");
    EXPECT_EQ(s.login_timeout_seconds, 30u);

    // An entry spanning lines 2-3 is reported at line 2; the next entry at line 4.
    const std::string text = "http.port=1\nserver.host=a\\\n  b\nlogin.timeout=0\n";
    EXPECT_EQ(error_of([&] { apply_properties(text, "p", s); }),
              "p:4: login.timeout = \"0\": expected a whole number from 1 to 300");
    EXPECT_EQ(error_of([&] { apply_properties("http.port=80\\\n  80\\\n  0\n", "p", s); }),
              "p:1: http.port = \"80800\": expected a whole number from 0 to 65535");
    // A continued value may look like a comment; it is still part of the value (as in Java).
    apply_properties("server.host=x\\\n#y\n", "p", s);
    EXPECT_EQ(s.server_host, "x#y");
    // A backslash at the very end of the file just ends the value.
    apply_properties("server.host=z\\", "p", s);
    EXPECT_EQ(s.server_host, "z");
}

TEST(ConfigProperties, EscapesInKeysAndValues) {
    Settings s;
    apply_properties(
        "server.ssl.key.pass=p\\=q\\:r\\#s\\ttab\\u0041\\u00e9\n"
        "server\\.host=h\n",
        "p", s);
    EXPECT_EQ(s.ssl_key_pass, "p=q:r#s\ttabA\xC3\xA9");
    EXPECT_EQ(s.server_host, "h");
    // An escaped trailing space survives the reader (set_value trims it later, like any value).
    auto entries = parse_properties("listen.address=\\ \n", "p");
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].value, " ");
    EXPECT_EQ(error_of([&] { apply_properties("\n\nserver.host=\\u12G4\n", "p", s); }),
              "p:3: malformed \\uXXXX escape");
}

TEST(ConfigProperties, DuplicatesLastWinsAndEmptyMeansDefault) {
    Settings s;
    s.https_port = 1;
    apply_properties("http.port=1\nhttp.port=2\nhttp.port=3\nhttps.port=\nlog.level\n", "p", s);
    EXPECT_EQ(s.http_port, 3);
    EXPECT_EQ(s.https_port, 9443);
    EXPECT_EQ(s.log_level, "info");
}

TEST(ConfigProperties, IgnoredJavaKeysOnlyWarn) {
    Settings s;
    auto warnings = apply_properties("logs.folder=./logs\nhttp.port=8088\nenable.db=false\n",
                                     "server.properties", s);
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_EQ(warnings[0],
              "server.properties:1: key \"logs.folder\" is accepted for compatibility with the "
              "Java server and has no effect");
    EXPECT_NE(warnings[1].find("server.properties:3: key \"enable.db\""), std::string::npos);
    EXPECT_EQ(s.http_port, 8088);
}

TEST(ConfigProperties, ParsePropertiesKeepsEntriesAndLines) {
    auto entries = parse_properties(
        "\xEF\xBB\xBF"
        "a=1\n# c\nb : two words \n\nc\n",
        "p");
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[0].line, 1u);
    EXPECT_EQ(entries[0].key, "a");
    EXPECT_EQ(entries[0].value, "1");
    EXPECT_EQ(entries[1].line, 3u);
    EXPECT_EQ(entries[1].key, "b");
    EXPECT_EQ(entries[1].value, "two words");
    EXPECT_EQ(entries[2].line, 5u);
    EXPECT_EQ(entries[2].key, "c");
    EXPECT_EQ(entries[2].value, "");
}

TEST(ConfigProperties, LoadFromFile) {
    TempDir dir;
    fs::path file = dir.write("server.properties", "http.port=7070\nlogs.folder=x\n");
    Settings base;
    base.https_port = 1234;
    std::vector<std::string> warnings;
    Settings s = load_properties(file, base, &warnings);
    EXPECT_EQ(s.http_port, 7070);
    EXPECT_EQ(s.https_port, 1234);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0].rfind(file.string() + ":2: key \"logs.folder\"", 0), 0u) << warnings[0];

    fs::path bad = dir.write("bad.properties", "\nhttp.port=-1\n");
    EXPECT_EQ(error_of([&] { load_properties(bad, Settings{}); }),
              bad.string() + ":2: http.port = \"-1\": expected a whole number from 0 to 65535");
    EXPECT_EQ(
        error_of([&] { load_properties(dir.path() / "missing.properties", Settings{}); }),
        "config file \"" + (dir.path() / "missing.properties").string() + "\" does not exist");
    EXPECT_EQ(error_of([&] { load_properties(dir.path(), Settings{}); }),
              "config file \"" + dir.path().string() + "\" is a directory, not a file");
    fs::path empty = dir.write("empty.properties", "");
    EXPECT_EQ(load_properties(empty, base).https_port, 1234);
}

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

    CommandLine cl = parse_command_line({"-mailConfig", "mail.properties"});
    ASSERT_EQ(cl.warnings.size(), 1u);
    EXPECT_EQ(cl.warnings[0],
              "-mailConfig mail.properties: accepted for compatibility with the Java server and "
              "has no effect");
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

// ---------------------------------------------------------------------------------------------
// The example file and the docs follow the key table

TEST(ConfigExample, ExampleFileMatchesKeyTable) {
    const fs::path path = fs::path(BLYNKD_SOURCE_DIR) / "server.properties.example";
    ASSERT_TRUE(fs::is_regular_file(path)) << path;
    const std::string text = read_file(path);

    std::vector<std::string> lines;
    {
        std::istringstream in(text);
        for (std::string l; std::getline(in, l);)
            lines.push_back(l);
    }
    std::set<std::string> seen;
    for (const PropertyLine& e : parse_properties(text, path.string())) {
        SCOPED_TRACE("line " + std::to_string(e.line) + ": " + e.key);
        const KeySpec* k = find_key(e.key);
        ASSERT_NE(k, nullptr) << "server.properties.example has a key that is not in the table"
                              << (is_ignored_key(e.key) ? " (it is an ignored Java key)" : "");
        EXPECT_TRUE(seen.insert(e.key).second) << "key listed twice";
        EXPECT_EQ(e.value, k->default_text) << "the example must show the default";
        // The comment block above the key gives its doc and what is allowed.
        std::string comments;
        for (std::size_t i = e.line - 1; i > 0 && lines[i - 1].starts_with("#"); --i) {
            comments = lines[i - 1] + "\n" + comments;
        }
        EXPECT_NE(comments.find(std::string(k->doc)), std::string::npos) << comments;
        EXPECT_NE(comments.find("Allowed: " + allowed_text(*k) + "."), std::string::npos)
            << comments;
    }
    for (const KeySpec& k : key_table()) {
        EXPECT_TRUE(seen.count(std::string(k.name))) << k.name << " missing from the example";
    }

    // Loading the example changes nothing and warns about nothing.
    Settings s;
    EXPECT_TRUE(apply_properties(text, path.string(), s).empty());
    for (const KeySpec& k : key_table())
        EXPECT_EQ(value_text(k, s), k.default_text) << k.name;
}

TEST(ConfigExample, DocsMentionEveryKey) {
    const fs::path path = fs::path(BLYNKD_SOURCE_DIR) / "docs" / "configuration.md";
    ASSERT_TRUE(fs::is_regular_file(path)) << path;
    const std::string text = read_file(path);
    for (const KeySpec& k : key_table()) {
        SCOPED_TRACE(std::string(k.name));
        const std::string row_start = "| `" + std::string(k.name) + "` | ";
        const std::size_t at = text.find(row_start);
        ASSERT_NE(at, std::string::npos) << "no table row for the key";
        const std::string row = text.substr(at, text.find('\n', at) - at);
        const std::string shown_default =
            k.default_text.empty() ? "(empty)" : "`" + std::string(k.default_text) + "`";
        EXPECT_NE(row.find("| " + shown_default + " |"), std::string::npos) << row;
        EXPECT_NE(row.find(allowed_text(k)), std::string::npos) << row;
    }
    for (std::string_view k : ignored_keys()) {
        EXPECT_NE(text.find("`" + std::string(k) + "`"), std::string::npos) << k;
    }
    for (const char* flag : {"--config", "-serverConfig", "--data-dir", "-dataFolder", "--set",
                             "-hardPort", "-appPort", "-workerThreads", "BLYNKD_DATA_DIR",
                             "BLYNKD_ALLOW_TMP_DATA", "/var/lib/blynkd"}) {
        EXPECT_NE(text.find(flag), std::string::npos) << flag;
    }
}

}  // namespace
