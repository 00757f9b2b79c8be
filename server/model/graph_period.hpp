#pragma once
// The SuperChart's periods as the app names them in GET_ENHANCED_GRAPH_DATA (the Java server's
// GraphPeriod), and what each one reads from history. Pure.
//
// A period is a number of points at one resolution, not a time window: the Java server answered
// with the newest N records of the period's granularity however old they were (the app scales
// its axis to what it gets), and page P skipped the newest N*P of them. LIVE is the newest 60
// raw values.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "server/model/history.hpp"

namespace blynk::model {

/// A time range that holds every stored point, [epoch, 2^53 ms): periods and the CSV export
/// count records, not time (bounds far from int64's limits, so bucket arithmetic cannot
/// overflow).
inline constexpr int64_t kAllTimeFromMs = 0;
inline constexpr int64_t kAllTimeToMs = int64_t{1} << 53;

struct GraphPeriod {
    std::string_view name;  ///< as the app sends it: "LIVE", "ONE_HOUR", "N_DAY", ...
    uint32_t points = 0;    ///< how many records one page holds
    HistoryResolution resolution = HistoryResolution::Raw;
};

/// Every period the Java server knew, in its order (deprecated THREE_DAYS and ALL included:
/// older apps still send them).
std::span<const GraphPeriod> graph_periods();

/// The period named `name` (exact, upper case); nullopt for any other text.
std::optional<GraphPeriod> find_graph_period(std::string_view name);

/// What page `page` (0 = newest) of `period` asks the storage for: the newest
/// points * (page + 1) records at the period's resolution, of which graph_page() keeps the
/// oldest `points`.
HistoryQuery graph_query(const GraphPeriod& period, uint32_t page);

/// The records of page `page` out of graph_query()'s answer (oldest first): the answer without
/// its newest points * page records.
std::span<const HistoryPoint> graph_page(const GraphPeriod& period, uint32_t page,
                                         std::span<const HistoryPoint> answer);

}  // namespace blynk::model
