#include <gtest/gtest.h>

#include "server/http/history_query.hpp"
#include "server/http/routes.hpp"

namespace blynk::http {
namespace {

using model::HistoryResolution;

constexpr int64_t kNow = 1'700'000'000'000;

std::variant<model::HistoryQuery, ApiResponse> parsed(std::string_view target) {
    auto t = parse_target(target);
    EXPECT_TRUE(t) << target;
    return parse_history_query(t.value_or(Target{}), kNow);
}

model::HistoryQuery query(std::string_view target) {
    auto result = parsed(target);
    if (auto* answer = std::get_if<ApiResponse>(&result)) {
        ADD_FAILURE() << target << ": " << answer->body;
        return {};
    }
    return std::get<model::HistoryQuery>(result);
}

unsigned refused(std::string_view target) {
    auto result = parsed(target);
    auto* answer = std::get_if<ApiResponse>(&result);
    EXPECT_TRUE(answer) << target << " was accepted";
    return answer ? answer->status : 0;
}

TEST(HistoryApiTest, RoutesOfTheCsvAndJsonEndpoints) {
    auto m = match_route("GET", {"tok", "data", "V5"});
    EXPECT_EQ(m.endpoint, Endpoint::PinData);
    EXPECT_EQ(m.pin, "V5");
    EXPECT_EQ(match_route("GET", {"tok", "history", "d3"}).endpoint, Endpoint::PinHistory);
    EXPECT_EQ(match_route("PUT", {"tok", "history", "d3"}).endpoint, Endpoint::NotFound);
}

TEST(HistoryApiTest, DefaultsAreTheLastDayAtAnAutomaticResolution) {
    const model::HistoryQuery q = query("/t/history/V1");
    EXPECT_EQ(q.to_ms, kNow + 1);
    EXPECT_EQ(q.from_ms, kNow + 1 - 86'400'000);
    EXPECT_EQ(q.resolution, HistoryResolution::Minute);
    EXPECT_EQ(q.limit, kHistoryDefaultLimit);
    EXPECT_TRUE(q.newest_first);
}

TEST(HistoryApiTest, RangeResolutionAndLimitAreTaken) {
    const model::HistoryQuery q = query("/t/history/V1?from=1000&to=5000&resolution=day&limit=7");
    EXPECT_EQ(q.from_ms, 1000);
    EXPECT_EQ(q.to_ms, 5000);
    EXPECT_EQ(q.resolution, HistoryResolution::Day);
    EXPECT_EQ(q.limit, 7u);
    EXPECT_EQ(query("/t/history/V1?to=100000000").from_ms, 100'000'000 - 86'400'000);
    EXPECT_EQ(query("/t/history/V1?to=5000").from_ms, 0) << "never before the epoch";
    const model::HistoryQuery all =
        query("/t/history/V1?from=-9223372036854775808&to=9223372036854775807");
    EXPECT_EQ(all.from_ms, 0) << "clamped to the times that can be stored";
    EXPECT_EQ(all.to_ms, int64_t{1} << 53);
    EXPECT_EQ(all.resolution, HistoryResolution::Day);
}

TEST(HistoryApiTest, AutoResolutionKeepsAboutFifteenHundredPoints) {
    const int64_t hour = 3'600'000;
    EXPECT_EQ(auto_resolution(hour), HistoryResolution::Raw);
    EXPECT_EQ(auto_resolution(hour + 1), HistoryResolution::Minute);
    EXPECT_EQ(auto_resolution(24 * hour), HistoryResolution::Minute);
    EXPECT_EQ(auto_resolution(7 * 24 * hour), HistoryResolution::Hour);
    EXPECT_EQ(auto_resolution(365 * 24 * hour), HistoryResolution::Day);
}

TEST(HistoryApiTest, MalformedParametersAreRefused) {
    for (const char* bad :
         {"/t/history/V1?from=5&to=5", "/t/history/V1?from=9&to=5", "/t/history/V1?from=x",
          "/t/history/V1?to=1.5", "/t/history/V1?from=1&from=2", "/t/history/V1?resolution=week",
          "/t/history/V1?limit=0", "/t/history/V1?limit=100001", "/t/history/V1?limit=ten"}) {
        EXPECT_EQ(refused(bad), 400u) << bad;
    }
}

TEST(HistoryApiTest, JsonListsPointsAsArrays) {
    model::HistoryQuery q;
    q.from_ms = 0;
    q.to_ms = 120000;
    q.resolution = HistoryResolution::Minute;
    const std::vector<model::HistoryPoint> points = {
        {.time_ms = 0, .value = 1.5, .min = 1, .max = 2, .count = 2},
        {.time_ms = 60000, .value = -0.25, .min = -0.25, .max = -0.25, .count = 1}};
    EXPECT_EQ(history_json("v1", q, points),
              R"({"pin":"v1","resolution":"minute","from":0,"to":120000,"points":)"
              R"([[0,1.5,1,2,2],[60000,-0.25,-0.25,-0.25,1]]})");
    EXPECT_EQ(history_json("d3", q, {}),
              R"({"pin":"d3","resolution":"minute","from":0,"to":120000,"points":[]})");
}

}  // namespace
}  // namespace blynk::http
