// How long the server takes to answer a year of hourly history for one pin (issue 13: at most
// 5 ms): the storage query plus the encoders of the app's binary answer and of the console's
// JSON, on a database file as the server keeps it. Measured and printed, not asserted: timings
// depend on the machine's load. Figures: /work/notes/perf-charts.md, docs/performance.md.

#include <algorithm>
#include <chrono>
#include <iostream>

#include "common/proto/graph_data.hpp"
#include "common/util/clock.hpp"
#include "common/util/zlib.hpp"
#include "server/http/history_query.hpp"
#include "server/model/graph_period.hpp"
#include "tests/unit/store_test_support.hpp"

namespace blynk::store {
namespace {

constexpr int64_t kHour = 3'600'000;
constexpr int kYearOfHours = 365 * 24;

class HistoryReadTime : public StoreFileTest {};

/// The median wall time of `runs` calls of `fn`, in microseconds.
template <class Fn>
double median_us(int runs, Fn fn) {
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        fn();
        times.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

TEST_F(HistoryReadTime, YearOfHourlyDataForOnePin) {
    SqliteStore store(path_);
    store.add_user("m@b.c", "", kNoPassword);
    model::Dashboard dash;
    dash.id = 1;
    dash.name = "Farm";
    dash.devices.push_back(app_device(0, "Board"));
    store.create_dashboard("m@b.c", dash, 10, 10);

    // One value an hour for a year, rolled up and expired as the server's upkeep does.
    const int64_t now = util::now_ms();
    const int64_t start = (now / kHour - kYearOfHours) * kHour;
    std::vector<HistoryWrite> writes;
    for (int i = 0; i < kYearOfHours; ++i)
        writes.push_back({"m@b.c", 1, 0, kV5, 20.0 + (i % 24) * 0.5, start + i * kHour});
    store.history().append(writes);
    while (store.history().maintain(now)) {
    }

    model::HistoryQuery year;
    year.from_ms = start;
    year.to_ms = now + 1;
    year.resolution = model::HistoryResolution::Hour;
    year.limit = http::kHistoryMaxLimit;
    year.newest_first = true;
    size_t points = 0;
    const double json_us = median_us(21, [&] {
        auto answer = store.history().query("m@b.c", 1, 0, kV5, year);
        points = answer.size();
        EXPECT_FALSE(http::history_json("v5", year, answer).empty());
    });
    EXPECT_EQ(points, static_cast<size_t>(kYearOfHours));

    // The app's longest hourly period (ALL: 8640 hours) in its deflated binary answer.
    const model::GraphPeriod all = *model::find_graph_period("ALL");
    size_t app_points = 0;
    const double app_us = median_us(21, [&] {
        auto answer = store.history().query("m@b.c", 1, 0, kV5, model::graph_query(all, 0));
        auto page = model::graph_page(all, 0, answer);
        app_points = page.size();
        std::vector<proto::GraphSample> samples;
        for (const auto& p : page)
            samples.push_back({p.value, p.time_ms});
        std::string body = proto::begin_graph_data(1);
        proto::append_graph_stream(body, samples);
        EXPECT_FALSE(util::zlib_compress(body).empty());
    });
    EXPECT_EQ(app_points, all.points);

    const double query_us =
        median_us(21, [&] { points = store.history().query("m@b.c", 1, 0, kV5, year).size(); });
    std::cout << "[ measure  ] a year of hourly data (" << kYearOfHours
              << " points), median of 21: query " << query_us << " us, query + JSON " << json_us
              << " us; app ALL period (" << app_points << " points) query + binary + zlib "
              << app_us << " us\n";
    RecordProperty("query_us", std::to_string(query_us));
    RecordProperty("json_us", std::to_string(json_us));
    RecordProperty("app_us", std::to_string(app_us));
}

}  // namespace
}  // namespace blynk::store
