#include <gtest/gtest.h>

#include <filesystem>

#include "server/automation/schedule.hpp"

namespace blynk::automation {
namespace {

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;
// 2026-03-29 00:00:00 UTC, a Sunday: Europe's spring-forward night (01:00 UTC).
constexpr int64_t kSpring = 1774742400;
// 2026-10-25 00:00:00 UTC, a Sunday: Europe's fall-back night (01:00 UTC).
constexpr int64_t kAutumn = 1792886400;

/// Central European time without the tz database: +1, +2 from kSpring+1h to kAutumn+1h.
std::optional<int32_t> central(int64_t utc) {
    return (utc >= kSpring + kHour && utc < kAutumn + kHour) ? 7200 : 3600;
}

int64_t ms(int64_t seconds) {
    return seconds * 1000;
}

TEST(AutomationSchedule, WeekdaysCountFromThursdayTheFirst) {
    EXPECT_EQ(iso_weekday(0), 4);
    EXPECT_EQ(iso_weekday(kSpring / kDay), 7) << "2026-03-29 is a Sunday";
    EXPECT_EQ(iso_weekday(-1), 3);
}

TEST(AutomationSchedule, NextSlotIsStrictlyAfter) {
    const ZoneOffsets utc = system_zone("");
    const DailyTime eight{8 * 3600, kEveryDay};
    EXPECT_EQ(next_occurrence(eight, utc, ms(kSpring)), ms(kSpring + 8 * kHour));
    EXPECT_EQ(next_occurrence(eight, utc, ms(kSpring + 8 * kHour)), ms(kSpring + kDay + 8 * kHour))
        << "the slot just handled is not due again";
    EXPECT_EQ(next_occurrence(eight, utc, ms(kSpring + 8 * kHour) - 1), ms(kSpring + 8 * kHour));
}

TEST(AutomationSchedule, DaysOfWeekAreLocalDays) {
    // 00:30 local on Mondays only, UTC+2: the slot is at 22:30 UTC on Sunday.
    const ZoneOffsets plus_two = [](int64_t) -> std::optional<int32_t> { return 7200; };
    const DailyTime monday{1800, 0x01};
    const int64_t sunday_noon = kSpring + 12 * kHour;
    EXPECT_EQ(next_occurrence(monday, plus_two, ms(sunday_noon)), ms(kSpring + 22 * kHour + 1800));
    // Weekends only, asked on a Monday: next Saturday.
    const DailyTime weekend{10 * 3600, 0x60};
    const int64_t monday_utc = kSpring + kDay;
    EXPECT_EQ(next_occurrence(weekend, system_zone(""), ms(monday_utc)),
              ms(monday_utc + 5 * kDay + 10 * kHour));
    EXPECT_FALSE(next_occurrence(DailyTime{0, 0}, system_zone(""), 0)) << "no day selected";
}

TEST(AutomationSchedule, SkippedLocalTimeFiresAfterTheGap) {
    // 02:30 does not exist on the spring night: it fires at 03:30 CEST = 01:30 UTC.
    const DailyTime half_past_two{2 * 3600 + 1800, kEveryDay};
    EXPECT_EQ(next_occurrence(half_past_two, central, ms(kSpring)), ms(kSpring + kHour + 1800));
    // The next day is normal again: 02:30 CEST = 00:30 UTC.
    EXPECT_EQ(next_occurrence(half_past_two, central, ms(kSpring + 2 * kHour)),
              ms(kSpring + kDay + 1800));
}

TEST(AutomationSchedule, RepeatedLocalTimeFiresOnce) {
    // 02:30 happens twice on the autumn night (00:30 and 01:30 UTC): only the first fires.
    const DailyTime half_past_two{2 * 3600 + 1800, kEveryDay};
    const int64_t first = kAutumn + 1800;
    EXPECT_EQ(next_occurrence(half_past_two, central, ms(kAutumn)), ms(first));
    EXPECT_EQ(next_occurrence(half_past_two, central, ms(first)), ms(kAutumn + kDay + 5400))
        << "after the first, the next is tomorrow's 02:30 CET (01:30 UTC)";
}

TEST(AutomationSchedule, DaylightSavingMovesTheUtcTime) {
    const DailyTime seven{7 * 3600, kEveryDay};
    EXPECT_EQ(next_occurrence(seven, central, ms(kSpring - kDay)), ms(kSpring - kDay + 6 * kHour));
    EXPECT_EQ(next_occurrence(seven, central, ms(kSpring + kDay)), ms(kSpring + kDay + 5 * kHour));
}

TEST(AutomationSchedule, UnknownZoneGivesNothing) {
    const ZoneOffsets unknown = [](int64_t) -> std::optional<int32_t> { return std::nullopt; };
    EXPECT_FALSE(next_occurrence(DailyTime{0, kEveryDay}, unknown, 0));
}

TEST(AutomationSchedule, SystemTzDatabase) {
    if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin"))
        GTEST_SKIP() << "tzdata is not installed";
    const ZoneOffsets berlin = system_zone("Europe/Berlin");
    const DailyTime half_past_two{2 * 3600 + 1800, kEveryDay};
    EXPECT_EQ(next_occurrence(half_past_two, berlin, ms(kSpring)), ms(kSpring + kHour + 1800));
    EXPECT_EQ(next_occurrence(half_past_two, berlin, ms(kAutumn + 1800)),
              ms(kAutumn + kDay + 5400));
    // New York changes on other dates (2026-03-08): 07:00 EDT is 11:00 UTC on 2026-03-29.
    EXPECT_EQ(next_occurrence(DailyTime{7 * 3600, kEveryDay}, system_zone("America/New_York"),
                              ms(kSpring)),
              ms(kSpring + 11 * kHour));
}

}  // namespace
}  // namespace blynk::automation
