#pragma once
// Values of a pin over time, as the history store keeps and answers them (issue 13, contract 1).

#include <cstddef>
#include <cstdint>

namespace blynk::model {

/// How finely stored history is answered: every point, or one aggregate per UTC minute, hour or
/// day.
enum class HistoryResolution : uint8_t { Raw, Minute, Hour, Day };

/// One stored point. Raw: value = min = max, count = 1, time = when written. Aggregates: value is
/// the average, time is the start of the bucket (UTC minute/hour/day).
struct HistoryPoint {
    int64_t time_ms = 0;
    double value = 0, min = 0, max = 0;
    int64_t count = 0;
};

struct HistoryQuery {
    int64_t from_ms = 0;  ///< inclusive
    int64_t to_ms = 0;    ///< exclusive
    HistoryResolution resolution = HistoryResolution::Raw;
    size_t limit = 0;  ///< at most this many points (0 = no limit)
    bool newest_first =
        false;  ///< with limit: the newest `limit` points; always returned oldest first
};

/// The length of one bucket of `resolution` in ms (0 for Raw).
constexpr int64_t bucket_ms(HistoryResolution resolution) {
    switch (resolution) {
        case HistoryResolution::Minute:
            return 60'000;
        case HistoryResolution::Hour:
            return 3'600'000;
        case HistoryResolution::Day:
            return 86'400'000;
        case HistoryResolution::Raw:
            break;
    }
    return 0;
}

}  // namespace blynk::model
