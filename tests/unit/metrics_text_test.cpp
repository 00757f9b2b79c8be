// The Prometheus text writer (escaping, HELP/TYPE, sample lines) and metrics.allow parsing.

#include <gtest/gtest.h>

#include "config/keys.hpp"
#include "server/http/metrics_access.hpp"
#include "server/http/metrics_text.hpp"

namespace blynk::http {
namespace {

TEST(MetricsText, FamilyAndSamples) {
    MetricsText m;
    m.family("blynkd_x_total", "counter", "Things.\nWith a \\ backslash.");
    m.sample("blynkd_x_total", {{"kind", "app"}, {"command", "HARDWARE"}}, uint64_t{42});
    m.sample("blynkd_x_total", uint64_t{0});
    m.sample("blynkd_y", {}, 0.25);
    EXPECT_EQ(m.text(),
              "# HELP blynkd_x_total Things.\\nWith a \\\\ backslash.\n"
              "# TYPE blynkd_x_total counter\n"
              "blynkd_x_total{kind=\"app\",command=\"HARDWARE\"} 42\n"
              "blynkd_x_total 0\n"
              "blynkd_y 0.25\n");
}

TEST(MetricsText, LabelValuesAreEscaped) {
    EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    MetricsText m;
    m.sample("v", {{"name", "say \"hi\""}}, uint64_t{1});
    EXPECT_EQ(m.text(), "v{name=\"say \\\"hi\\\"\"} 1\n");
}

TEST(MetricsText, SpecialFloats) {
    MetricsText m;
    m.sample("a", {}, std::numeric_limits<double>::infinity());
    m.sample("b", {}, std::numeric_limits<double>::quiet_NaN());
    EXPECT_EQ(m.text(), "a +Inf\nb NaN\n");
}

TEST(AddressAllowList, AddressesAndRanges) {
    auto list = AddressAllowList::parse(" 127.0.0.1, ::1,10.1.0.0/16 ,fd00::/8");
    EXPECT_TRUE(list.allows("127.0.0.1"));
    EXPECT_TRUE(list.allows("::ffff:127.0.0.1"));  // a dual-stack listener's view of IPv4
    EXPECT_FALSE(list.allows("127.0.0.2"));
    EXPECT_TRUE(list.allows("::1"));
    EXPECT_TRUE(list.allows("10.1.255.3"));
    EXPECT_FALSE(list.allows("10.2.0.1"));
    EXPECT_TRUE(list.allows("fd12::5"));
    EXPECT_FALSE(list.allows("fe80::1"));
    EXPECT_FALSE(list.allows("not an address"));
}

TEST(AddressAllowList, HostBitsInARangeAreIgnored) {
    auto list = AddressAllowList::parse("192.168.1.77/24");
    EXPECT_TRUE(list.allows("192.168.1.1"));
    EXPECT_FALSE(list.allows("192.168.2.1"));
}

TEST(AddressAllowList, NoneAllowsNobody) {
    auto list = AddressAllowList::parse("none");
    EXPECT_TRUE(list.empty());
    EXPECT_FALSE(list.allows("127.0.0.1"));
}

TEST(AddressAllowList, BadEntriesAreStartUpErrors) {
    for (const char* bad : {"localhost", "10.0.0.0/33", "::1/129", "1.2.3.4/", "1.2.3.4/x"}) {
        try {
            AddressAllowList::parse(std::string("127.0.0.1,") + bad);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const config::ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace blynk::http
