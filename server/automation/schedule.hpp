#pragma once
// When a daily schedule next fires: a time of day on some days of the week in an IANA time zone
// (Timer widgets, Eventor time rules). Pure arithmetic over an injected zone, so that the tests
// can drive it with any clock and zone, DST transitions included.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace blynk::automation {

/// The UTC offset in seconds of a zone at a UTC instant (seconds); nullopt = unknown zone.
using ZoneOffsets = std::function<std::optional<int32_t>(int64_t utc_seconds)>;

/// The system tz database's offsets for zone `name` (util::utc_offset); UTC for an empty name.
ZoneOffsets system_zone(std::string name);

/// Every day of the week: bit 0 is Monday ... bit 6 Sunday (the Java days 1..7).
inline constexpr uint8_t kEveryDay = 0x7f;

struct DailyTime {
    int seconds_of_day = 0;    ///< 0..86399, local time
    uint8_t days = kEveryDay;  ///< days of the week it runs on (local date)
};

/// The first time strictly after `after_ms` (UTC ms) at which `when` comes in the zone, in UTC
/// ms. A local time that a DST change skips (02:30 on a spring-forward night) fires at the same
/// distance past the gap's start (03:30); one that occurs twice (autumn) fires at the first.
/// nullopt when no day is selected or the zone is unknown.
std::optional<int64_t> next_occurrence(const DailyTime& when, const ZoneOffsets& zone,
                                       int64_t after_ms);

/// The UTC second at which local time `local_seconds` (seconds since the epoch, as if the zone
/// were UTC) happens in the zone, by the rules of next_occurrence.
std::optional<int64_t> local_to_utc(int64_t local_seconds, const ZoneOffsets& zone);

/// ISO day of the week (1 = Monday ... 7 = Sunday) of a day counted from 1970-01-01.
int iso_weekday(int64_t days_since_epoch);

}  // namespace blynk::automation
