// Configuration: the properties file reader.

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

}  // namespace
