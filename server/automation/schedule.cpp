#include "server/automation/schedule.hpp"

#include "common/util/time_zone.hpp"

namespace blynk::automation {
namespace {

constexpr int64_t kDay = 86400;

int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

ZoneOffsets system_zone(std::string name) {
    if (name.empty()) return [](int64_t) -> std::optional<int32_t> { return 0; };
    return [name = std::move(name)](int64_t utc_seconds) {
        return util::utc_offset(name, utc_seconds);
    };
}

int iso_weekday(int64_t days_since_epoch) {
    // 1970-01-01 was a Thursday (4).
    return static_cast<int>(((days_since_epoch + 3) % 7 + 7) % 7) + 1;
}

std::optional<int64_t> local_to_utc(int64_t local_seconds, const ZoneOffsets& zone) {
    // A zone changes its offset at most once within a day around any instant, so the offsets a
    // day before and a day after are the only candidates.
    auto before = zone(local_seconds - kDay);
    auto after = zone(local_seconds + kDay);
    if (!before || !after) return std::nullopt;
    std::optional<int64_t> best;
    for (int32_t offset : {*before, *after}) {
        const int64_t utc = local_seconds - offset;
        if (zone(utc) == offset && (!best || utc < *best)) best = utc;
    }
    // In a gap (spring forward) no candidate maps back: the time is read with the offset in force
    // before the gap, which lands as far past the gap's start as it was meant to be.
    return best ? *best : local_seconds - *before;
}

std::optional<int64_t> next_occurrence(const DailyTime& when, const ZoneOffsets& zone,
                                       int64_t after_ms) {
    if ((when.days & kEveryDay) == 0 || when.seconds_of_day < 0 || when.seconds_of_day >= kDay)
        return std::nullopt;
    const int64_t after_s = floor_div(after_ms, 1000);
    auto offset = zone(after_s);
    if (!offset) return std::nullopt;
    // From the local day before (a DST change may move today's slot before `after`) over a week
    // and two days, which holds every selected weekday.
    const int64_t today = floor_div(after_s + *offset, kDay);
    for (int64_t day = today - 1; day <= today + 8; ++day) {
        if (!(when.days & (1u << (iso_weekday(day) - 1)))) continue;
        auto utc = local_to_utc(day * kDay + when.seconds_of_day, zone);
        if (!utc) return std::nullopt;
        if (*utc * 1000 > after_ms) return *utc * 1000;
    }
    return std::nullopt;
}

}  // namespace blynk::automation
