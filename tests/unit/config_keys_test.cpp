// Configuration: the key table, and the agreement of server.properties.example and
// docs/configuration.md with it.

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
    EXPECT_EQ(names.size(), 63u) << "a key was added or removed: update this count deliberately";
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
    EXPECT_EQ(ignored_keys().size(), 31u);
    EXPECT_TRUE(is_ignored_key("hardware.mqtt.port"));
    EXPECT_TRUE(is_ignored_key("vendor.email"));
    EXPECT_FALSE(is_ignored_key("http.port"));
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
