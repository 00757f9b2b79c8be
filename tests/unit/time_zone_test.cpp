#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/util/time_zone.hpp"

namespace blynk::util {
namespace {

void put_be(std::string& out, uint64_t value, size_t width) {
    for (size_t i = width; i-- > 0;)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

struct Zone {
    std::vector<int64_t> transitions;
    std::vector<uint8_t> types;    // per transition
    std::vector<int32_t> offsets;  // per type
};

/// One TZif data block (header + data) with `time_size`-byte times.
std::string block(const Zone& z, char version, size_t time_size) {
    std::string out = "TZif";
    out.push_back(version);
    out.append(15, '\0');
    const std::string designations = "AB";
    for (uint64_t count : {uint64_t{0}, uint64_t{0}, uint64_t{0}, uint64_t(z.transitions.size()),
                           uint64_t(z.offsets.size()), uint64_t(designations.size())})
        put_be(out, count, 4);
    for (int64_t t : z.transitions)
        put_be(out, static_cast<uint64_t>(t), time_size);
    for (uint8_t type : z.types)
        out.push_back(static_cast<char>(type));
    for (int32_t offset : z.offsets) {
        put_be(out, static_cast<uint32_t>(offset), 4);
        out.push_back(0);  // isdst
        out.push_back(0);  // designation index
    }
    out += designations;
    return out;
}

const Zone kZone{{1000, 2000}, {1, 0}, {3600, 7200}};

TEST(TimeZone, Version1OffsetsFollowTheTransitions) {
    const std::string tzif = block(kZone, '\0', 4);
    EXPECT_EQ(tzif_utc_offset(tzif, 999), 3600) << "before the first transition: type 0";
    EXPECT_EQ(tzif_utc_offset(tzif, 1000), 7200);
    EXPECT_EQ(tzif_utc_offset(tzif, 1999), 7200);
    EXPECT_EQ(tzif_utc_offset(tzif, 2000), 3600);
    EXPECT_EQ(tzif_utc_offset(tzif, int64_t{1} << 40), 3600) << "the last transition's type";
}

TEST(TimeZone, Version2UsesThe64BitBlock) {
    // The version 1 block says +0 everywhere; only the 64-bit block has the real data.
    const std::string tzif = block(Zone{{}, {}, {0}}, '2', 4) + block(kZone, '2', 8);
    EXPECT_EQ(tzif_utc_offset(tzif, 1500), 7200);
    EXPECT_EQ(tzif_utc_offset(tzif, 500), 3600);
}

TEST(TimeZone, MalformedDataIsRefused) {
    const std::string tzif = block(kZone, '\0', 4);
    EXPECT_FALSE(tzif_utc_offset("", 0));
    EXPECT_FALSE(tzif_utc_offset("TZif", 0));
    EXPECT_FALSE(tzif_utc_offset(tzif.substr(0, tzif.size() - 3), 0)) << "truncated";
    EXPECT_FALSE(tzif_utc_offset("XXif" + tzif.substr(4), 0));
    Zone bad_type = kZone;
    bad_type.types = {5, 0};
    EXPECT_FALSE(tzif_utc_offset(block(bad_type, '\0', 4), 1500)) << "type out of range";
}

TEST(TimeZone, NamesThatAreNotZoneNamesAreNeverOpened) {
    for (const char* name : {"", "../etc/passwd", "/etc/passwd", "Europe//Berlin", "Europe/",
                             "Europe/Ber lin", "a\\b"})
        EXPECT_FALSE(utc_offset(name, 0)) << name;
    EXPECT_FALSE(utc_offset("No/Such_Zone", 0));
}

TEST(TimeZone, SystemZonesWhenTzdataIsInstalled) {
    if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin"))
        GTEST_SKIP() << "tzdata is not installed";
    EXPECT_EQ(utc_offset("Europe/Berlin", 1767225600), 3600) << "2026-01-01: CET";
    EXPECT_EQ(utc_offset("Europe/Berlin", 1782864000), 7200) << "2026-07-01: CEST";
    EXPECT_EQ(utc_offset("UTC", 1782864000), 0);
    EXPECT_EQ(utc_offset("Asia/Kolkata", 1782864000), 19800);
}

}  // namespace
}  // namespace blynk::util
