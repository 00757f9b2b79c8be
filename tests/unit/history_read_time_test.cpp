// How long the server takes to answer a year of hourly history for one pin (issue 13: at most
// 5 ms): the storage query plus the encoders of the app's binary answer and of the console's
// JSON, on a database file as the server keeps it. Measured and printed, not asserted: timings
// depend on the machine's load. Figures: /work/notes/perf-charts.md, docs/performance.md.

#include <time.h>

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

/// Microseconds of this thread's CPU (what the work costs, without the time other processes
/// of a shared machine held the core).
double thread_cpu_us() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

struct Timing {
    double wall_us = 0;
    double cpu_us = 0;
};

std::ostream& operator<<(std::ostream& out, const Timing& t) {
    return out << t.wall_us << " us wall, " << t.cpu_us << " us CPU";
}

/// The medians of `runs` calls of `fn`.
template <class Fn>
Timing median(int runs, Fn fn) {
    std::vector<double> wall, cpu;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const double cpu_start = thread_cpu_us();
        fn();
        cpu.push_back(thread_cpu_us() - cpu_start);
        wall.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

TEST_P(HistoryReadTime, YearOfHourlyDataForOnePin) {
    Store store(path_);
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
    const Timing json = median(21, [&] {
        auto answer = store.history().query("m@b.c", 1, 0, kV5, year);
        points = answer.size();
        EXPECT_FALSE(http::history_json("v5", year, answer).empty());
    });
    EXPECT_EQ(points, static_cast<size_t>(kYearOfHours));

    // The app's longest hourly period (ALL: 8640 hours) in its deflated binary answer.
    const model::GraphPeriod all = *model::find_graph_period("ALL");
    size_t app_points = 0;
    const Timing app = median(21, [&] {
        auto answer = store.history().query("m@b.c", 1, 0, kV5, model::graph_query(all, 0));
        auto page = model::graph_page(all, 0, answer);
        app_points = page.size();
        std::vector<proto::GraphSample> samples;
        for (const auto& p : page)
            samples.push_back({p.value, p.time_ms});
        std::string body = proto::begin_graph_data(1);
        proto::append_graph_stream(body, samples);
        EXPECT_FALSE(util::zlib_compress(body, util::Compression::Fast).empty());
    });
    EXPECT_EQ(app_points, all.points);

    const Timing query =
        median(21, [&] { points = store.history().query("m@b.c", 1, 0, kV5, year).size(); });
    std::cout << "[ measure  ] a year of hourly data (" << kYearOfHours
              << " points), medians of 21: query " << query << "; query + JSON " << json
              << "; app ALL period (" << app_points << " points) query + binary + zlib " << app
              << "\n";
    RecordProperty("query_cpu_us", std::to_string(query.cpu_us));
    RecordProperty("json_cpu_us", std::to_string(json.cpu_us));
    RecordProperty("app_cpu_us", std::to_string(app.cpu_us));
}

STORE_TEST_ON_BOTH_ENGINES(HistoryReadTime);

}  // namespace
}  // namespace blynk::store
