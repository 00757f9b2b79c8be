#pragma once
// Values of a pin over time as the storage keeps them (contract 1 of issue 13, owned by the
// `history` helper; this copy lets `charts` build before that branch is merged).

#include <cstddef>
#include <cstdint>

namespace blynk::model {

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

}  // namespace blynk::model
