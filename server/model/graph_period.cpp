#include "server/model/graph_period.hpp"

#include <array>

namespace blynk::model {
namespace {

using R = HistoryResolution;

// blynkkk/blynk-server GraphPeriod: points and granularity of each period.
constexpr std::array kPeriods = {
    GraphPeriod{"LIVE", 60, R::Raw},
    GraphPeriod{"FIFTEEN_MINUTES", 15, R::Minute},
    GraphPeriod{"THIRTY_MINUTES", 30, R::Minute},
    GraphPeriod{"ONE_HOUR", 60, R::Minute},
    GraphPeriod{"THREE_HOURS", 3 * 60, R::Minute},
    GraphPeriod{"SIX_HOURS", 6 * 60, R::Minute},
    GraphPeriod{"TWELVE_HOURS", 12 * 60, R::Minute},
    GraphPeriod{"DAY", 24 * 60, R::Minute},
    GraphPeriod{"THREE_DAYS", 3 * 24, R::Hour},
    GraphPeriod{"WEEK", 7 * 24, R::Hour},
    GraphPeriod{"TWO_WEEKS", 14 * 24, R::Hour},
    GraphPeriod{"MONTH", 30 * 24, R::Hour},
    GraphPeriod{"THREE_MONTHS", 3 * 30 * 24, R::Hour},
    GraphPeriod{"ALL", 12 * 30 * 24, R::Hour},
    GraphPeriod{"N_DAY", 24, R::Hour},
    GraphPeriod{"TWO_DAYS", 2 * 24, R::Hour},
    GraphPeriod{"N_THREE_DAYS", 3 * 24, R::Hour},
    GraphPeriod{"N_WEEK", 7, R::Day},
    GraphPeriod{"N_TWO_WEEKS", 14, R::Day},
    GraphPeriod{"N_MONTH", 30, R::Day},
    GraphPeriod{"N_THREE_MONTHS", 3 * 30, R::Day},
    GraphPeriod{"SIX_MONTHS", 6 * 30, R::Day},
    GraphPeriod{"ONE_YEAR", 12 * 30, R::Day},
};

}  // namespace

std::span<const GraphPeriod> graph_periods() {
    return kPeriods;
}

std::optional<GraphPeriod> find_graph_period(std::string_view name) {
    for (const GraphPeriod& period : kPeriods)
        if (period.name == name) return period;
    return std::nullopt;
}

HistoryQuery graph_query(const GraphPeriod& period, uint32_t page) {
    HistoryQuery query;
    query.from_ms = kAllTimeFromMs;
    query.to_ms = kAllTimeToMs;
    query.resolution = period.resolution;
    query.limit = static_cast<size_t>(period.points) * (static_cast<size_t>(page) + 1);
    query.newest_first = true;
    return query;
}

std::span<const HistoryPoint> graph_page(const GraphPeriod& period, uint32_t page,
                                         std::span<const HistoryPoint> answer) {
    const size_t skip = static_cast<size_t>(period.points) * page;
    if (answer.size() <= skip) return {};
    answer = answer.first(answer.size() - skip);
    // More than one page's worth means the storage ignored the limit: keep the newest.
    if (answer.size() > period.points) answer = answer.last(period.points);
    return answer;
}

}  // namespace blynk::model
