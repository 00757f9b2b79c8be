// HistoryStore on both engines (SQLite files, PostgreSQL): appends, queries at each resolution,
// rollup arithmetic, retention boundaries, the per-user cap, deletes (of pins, devices, users) and
// their purge, restarts.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "server/store/history_store.hpp"
#include "tests/unit/store_test_support.hpp"

namespace blynk::store {
namespace {

using model::HistoryPoint;
using model::HistoryQuery;
using model::HistoryResolution;

constexpr int64_t kMinute = 60'000, kHour = 3'600'000, kDay = 86'400'000;
constexpr int64_t kBase = 19675 * kDay;  // a UTC midnight in November 2023
const PinKey kV1{PinType::Virtual, 1};

class HistoryStoreTest : public StoreFileTest {
protected:
    void SetUp() override {
        StoreFileTest::SetUp();
        store_ = std::make_unique<Store>(path_);
        store_->add_user("a@b.c", "", kNoPassword);
        dash_ = store_->add_device("a@b.c", "K", "ESP32", std::nullopt, 10).dash_id;
    }

    HistoryStore& history() { return store_->history(); }

    HistoryAppended append(std::vector<std::pair<int64_t, double>> points, PinKey pin = kV5,
                           int device = 0, std::string email = "a@b.c") {
        std::vector<HistoryWrite> writes;
        for (auto [t, v] : points)
            writes.push_back({email, dash_, device, pin, v, t});
        return history().append(writes);
    }

    std::vector<HistoryPoint> query(HistoryResolution r, int64_t from, int64_t to, PinKey pin = kV5,
                                    size_t limit = 0, bool newest = false) {
        return history().query("a@b.c", dash_, 0, pin, HistoryQuery{from, to, r, limit, newest});
    }

    /// Runs upkeep until it has nothing left to do at `now`.
    void settle(int64_t now) {
        for (int i = 0; i < 100000 && history().maintain(now); ++i) {
        }
    }

    int64_t rows(const char* table) {
        Database db(path_);
        Statement st(db, std::string("SELECT count(*) FROM ") + table, "count");
        return st.step() ? st.column_int64(0) : -1;
    }

    std::unique_ptr<Store> store_;
    int dash_ = 0;
};

std::vector<double> values(const std::vector<HistoryPoint>& points) {
    std::vector<double> out;
    for (const auto& p : points)
        out.push_back(p.value);
    return out;
}

TEST_P(HistoryStoreTest, RawPointsComeBackInOrderAndPointsOfOneMillisecondAreAllKept) {
    auto appended = append({{kBase + 2, 3}, {kBase, 1}, {kBase + 1, 2}, {kBase + 1, 2.5}});
    EXPECT_EQ(appended.stored, 4u);
    // The same millisecond again, in a later batch.
    append({{kBase + 1, 2.75}});
    auto points = query(HistoryResolution::Raw, kBase, kBase + 10);
    EXPECT_EQ(values(points), (std::vector<double>{1, 2, 2.5, 2.75, 3}));
    EXPECT_EQ(points[0].time_ms, kBase);
    EXPECT_EQ(points[1].count, 1);
    EXPECT_EQ(points[1].min, 2);
    // [from, to): the end is exclusive.
    EXPECT_EQ(values(query(HistoryResolution::Raw, kBase + 1, kBase + 2)),
              (std::vector<double>{2, 2.5, 2.75}));
    // The newest two, oldest first; the oldest two.
    EXPECT_EQ(values(query(HistoryResolution::Raw, kBase, kBase + 10, kV5, 2, true)),
              (std::vector<double>{2.75, 3}));
    EXPECT_EQ(values(query(HistoryResolution::Raw, kBase, kBase + 10, kV5, 2, false)),
              (std::vector<double>{1, 2}));
    EXPECT_TRUE(query(HistoryResolution::Raw, kBase, kBase + 10, kV1).empty());
}

TEST_P(HistoryStoreTest, AggregatesAreTheSameBeforeAndAfterRollup) {
    // Two points in each of three minutes of the first hour, one in the next hour, one the
    // next day.
    append({{kBase + 1000, 1},
            {kBase + 2000, 3},
            {kBase + kMinute, 10},
            {kBase + kMinute + 5, 20},
            {kBase + 2 * kMinute, -4},
            {kBase + 2 * kMinute + 59'999, 4},
            {kBase + kHour + 7, 100},
            {kBase + kDay + 9, 1000}});
    auto check = [&] {
        auto minutes = query(HistoryResolution::Minute, kBase, kBase + 2 * kDay);
        ASSERT_EQ(minutes.size(), 5u);
        EXPECT_EQ(minutes[0].time_ms, kBase);
        EXPECT_DOUBLE_EQ(minutes[0].value, 2);
        EXPECT_EQ(minutes[0].min, 1);
        EXPECT_EQ(minutes[0].max, 3);
        EXPECT_EQ(minutes[0].count, 2);
        EXPECT_EQ(minutes[1].time_ms, kBase + kMinute);
        EXPECT_DOUBLE_EQ(minutes[1].value, 15);
        EXPECT_DOUBLE_EQ(minutes[2].value, 0);
        EXPECT_EQ(minutes[3].time_ms, kBase + kHour);

        auto hours = query(HistoryResolution::Hour, kBase, kBase + 2 * kDay);
        ASSERT_EQ(hours.size(), 3u);
        EXPECT_EQ(hours[0].time_ms, kBase);
        EXPECT_DOUBLE_EQ(hours[0].value, (1 + 3 + 10 + 20 - 4 + 4) / 6.0);
        EXPECT_EQ(hours[0].min, -4);
        EXPECT_EQ(hours[0].max, 20);
        EXPECT_EQ(hours[0].count, 6);
        EXPECT_EQ(hours[1].time_ms, kBase + kHour);
        EXPECT_EQ(hours[2].time_ms, kBase + kDay);

        auto days = query(HistoryResolution::Day, kBase, kBase + 2 * kDay);
        ASSERT_EQ(days.size(), 2u);
        EXPECT_DOUBLE_EQ(days[0].value, (1 + 3 + 10 + 20 - 4 + 4 + 100) / 7.0);
        EXPECT_EQ(days[0].count, 7);
        EXPECT_EQ(days[0].max, 100);
        EXPECT_EQ(days[1].count, 1);
        // Buckets starting in [from, to): the first hour's bucket starts before from.
        EXPECT_EQ(query(HistoryResolution::Hour, kBase + 1, kBase + 2 * kDay).size(), 2u);
    };
    check();
    EXPECT_EQ(rows("history_minute"), 0);
    settle(kBase + 3 * kDay);
    EXPECT_EQ(rows("history_minute"), 5);
    EXPECT_EQ(rows("history_hour"), 3);
    EXPECT_EQ(rows("history_day"), 2);
    check();
    // Half rolled up: minutes done, hours and days still computed from them.
    append({{kBase + 3 * kDay + 1, 7}});
    settle(kBase + 3 * kDay + 2 * kMinute);
    auto hours = query(HistoryResolution::Hour, kBase + 3 * kDay, kBase + 4 * kDay);
    ASSERT_EQ(hours.size(), 1u);
    EXPECT_EQ(hours[0].value, 7);
}

TEST_P(HistoryStoreTest, RetentionExpiresEachLevelOnlyAfterTheNextTookIt) {
    HistorySettings settings;
    settings.raw_keep_ms = 1 * kDay;
    settings.minute_keep_ms = 2 * kDay;
    settings.hour_keep_ms = 4 * kDay;
    settings.day_keep_ms = 10 * kDay;
    history().configure(settings);
    append({{kBase + 5, 1}, {kBase + kDay + 5, 2}, {kBase + 2 * kDay + 5, 3}});
    const int64_t now = kBase + 2 * kDay + 12 * kHour;
    settle(now);
    // Raw kept for one day: only the last point.
    EXPECT_EQ(values(query(HistoryResolution::Raw, 0, now)), (std::vector<double>{3}));
    // Minutes for two days: the points of day 1 and 2.
    EXPECT_EQ(values(query(HistoryResolution::Minute, 0, now)), (std::vector<double>{2, 3}));
    EXPECT_EQ(values(query(HistoryResolution::Hour, 0, now)), (std::vector<double>{1, 2, 3}));
    EXPECT_EQ(values(query(HistoryResolution::Day, 0, now)), (std::vector<double>{1, 2, 3}));
    // Day aggregates go once ten days have passed.
    settle(kBase + 10 * kDay + kHour);
    EXPECT_EQ(values(query(HistoryResolution::Day, 0, kBase + 11 * kDay)),
              (std::vector<double>{2, 3}));
    EXPECT_EQ(history().user_points("a@b.c"), 2u);
}

TEST_P(HistoryStoreTest, TheUserCapRefusesPointsBeyondIt) {
    HistorySettings settings;
    settings.user_max_points = 5;
    history().configure(settings);
    auto appended = append({{kBase, 1}, {kBase + 1, 2}, {kBase + 2, 3}});
    EXPECT_EQ(appended.stored, 3u);
    appended = append({{kBase + 3, 4}, {kBase + 4, 5}, {kBase + 5, 6}}, kV1);
    EXPECT_EQ(appended.stored, 2u);
    EXPECT_EQ(appended.over_cap, 1u);
    EXPECT_EQ(history().user_points("a@b.c"), 5u);
    // Deleting history makes room again.
    history().delete_series("a@b.c", dash_, 0, kV5);
    EXPECT_EQ(append({{kBase + 6, 7}}).stored, 1u);
}

TEST_P(HistoryStoreTest, DeletingOnePinKeepsTheOthersAndThePurgeRemovesItsRows) {
    append({{kBase, 1}, {kBase + 1, 2}});
    append({{kBase, 10}}, kV1);
    EXPECT_EQ(history().delete_series("a@b.c", dash_, 0, kV5), 1u);
    EXPECT_TRUE(query(HistoryResolution::Raw, 0, kBase + kDay).empty());
    EXPECT_EQ(values(query(HistoryResolution::Raw, 0, kBase + kDay, kV1)),
              (std::vector<double>{10}));
    EXPECT_EQ(rows("history_raw"), 3);
    settle(kBase + kMinute);
    EXPECT_EQ(rows("history_raw"), 1);
    EXPECT_EQ(rows("history_purge"), 0);
    // A new series for the pin starts empty.
    append({{kBase + 5, 5}});
    EXPECT_EQ(values(query(HistoryResolution::Raw, 0, kBase + kDay)), (std::vector<double>{5}));
    EXPECT_EQ(history().delete_series("a@b.c", dash_, 0, std::nullopt), 2u);
    EXPECT_TRUE(query(HistoryResolution::Raw, 0, kBase + kDay, kV1).empty());
}

TEST_P(HistoryStoreTest, DeviceAndUserDeletionRemoveHistory) {
    std::vector<std::pair<int64_t, double>> many;
    for (int i = 0; i < 50'000; ++i)
        many.push_back({kBase + i, i});
    append(many);
    settle(kBase + kDay);  // minutes, hours and the day rolled up
    ASSERT_TRUE(store_->delete_device("a@b.c", dash_, 0));
    EXPECT_TRUE(query(HistoryResolution::Raw, 0, kBase + kDay).empty());
    EXPECT_EQ(rows("history_purge"), 1);
    settle(kBase + kDay);
    EXPECT_EQ(rows("history_raw"), 0);
    EXPECT_EQ(rows("history_minute"), 0);
    EXPECT_EQ(rows("history_day"), 0);
    EXPECT_EQ(rows("history_purge"), 0);

    const int dev = store_->add_device("a@b.c", "L", "ESP32", dash_, 10).device.id;
    append({{kBase, 1}}, kV5, dev);
    EXPECT_EQ(rows("history_series"), 1);
    ASSERT_TRUE(store_->delete_user("a@b.c"));
    EXPECT_EQ(rows("history_series"), 0);
    settle(kBase + kDay);
    EXPECT_EQ(rows("history_raw"), 0);
}

TEST_P(HistoryStoreTest, PointsOfUnknownDevicesAreSkipped) {
    auto appended = append({{kBase, 1}}, kV5, 42);
    EXPECT_EQ(appended.stored, 0u);
    EXPECT_EQ(appended.no_device, 1u);
    EXPECT_EQ(rows("history_series"), 0);
}

TEST_P(HistoryStoreTest, LatePointsAreRolledIntoTheirBucketsAgain) {
    append({{kBase + 5, 1}});
    settle(kBase + kDay + kHour);
    ASSERT_EQ(values(query(HistoryResolution::Hour, 0, kBase + kDay)), (std::vector<double>{1}));
    append({{kBase + 7, 3}});  // arrived after its minute, hour and day were rolled up
    settle(kBase + kDay + kHour);
    for (auto r : {HistoryResolution::Minute, HistoryResolution::Hour, HistoryResolution::Day}) {
        auto points = query(r, 0, kBase + kDay);
        ASSERT_EQ(points.size(), 1u);
        EXPECT_DOUBLE_EQ(points[0].value, 2);
        EXPECT_EQ(points[0].count, 2);
    }
    EXPECT_EQ(rows("history_minute"), 1);
}

TEST_P(HistoryStoreTest, PointsAndRollupSurviveARestart) {
    append({{kBase + 5, 1}, {kBase + kMinute, 2}});
    settle(kBase + kHour);
    store_.reset();
    store_ = std::make_unique<Store>(path_);
    EXPECT_EQ(values(query(HistoryResolution::Raw, 0, kBase + kDay)), (std::vector<double>{1, 2}));
    EXPECT_EQ(values(query(HistoryResolution::Hour, 0, kBase + kDay)), (std::vector<double>{1.5}));
    EXPECT_FALSE(history().maintain(kBase + kHour));  // the watermarks were kept
}

TEST_P(HistoryStoreTest, PointsOfAMillisecondStoredBeforeARestartAreKeptBesideNewOnes) {
    append({{kBase, 1}, {kBase, 2}, {kBase + 1, 3}});
    store_ = std::make_unique<Store>(path_);  // a new run: it knows no seq of kBase yet
    EXPECT_EQ(append({{kBase, 4}, {kBase, 5}, {kBase + 2, 6}}).stored, 3u);
    EXPECT_EQ(values(query(HistoryResolution::Raw, kBase, kBase + 3)),
              (std::vector<double>{1, 2, 4, 5, 3, 6}));
    EXPECT_EQ(rows("history_raw"), 6);
}

TEST_P(HistoryStoreTest, AYearOfHourlyPointsIsReadInAFewMilliseconds) {
    append({{kBase, 1}});
    {
        // A year of rolled-up hours, written directly: rolling up a year of points takes long.
        Database db(path_);
        db.exec(
            "INSERT INTO history_hour (series, time_ms, value, min, max, count) "
            "WITH RECURSIVE h(i) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM h "
            "WHERE i < 8759) "
            "SELECT (SELECT id FROM history_series), " +
                std::to_string(kBase) + " + i * 3600000, i % 50, 0, 50, 60 FROM h",
            "fill");
        db.exec("INSERT INTO history_progress (level, done_ms) VALUES (1, " +
                    std::to_string(kBase + 366 * kDay) + "), (2, " +
                    std::to_string(kBase + 365 * kDay) + "), (3, " +
                    std::to_string(kBase + 365 * kDay) + ")",
                "progress");
    }
    store_ = std::make_unique<Store>(path_);  // reads the watermarks
    double best_ms = 1e9;
    size_t points = 0;
    for (int i = 0; i < 5; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        points = query(HistoryResolution::Hour, kBase, kBase + 365 * kDay).size();
        best_ms = std::min(best_ms, std::chrono::duration<double, std::milli>(
                                        std::chrono::steady_clock::now() - t0)
                                        .count());
    }
    EXPECT_EQ(points, 8760u);
    std::printf("a year of hourly points: %zu read in %.2f ms (best of 5)\n", points, best_ms);
    EXPECT_LT(best_ms, 25.0);  // about 1-3 ms; generous for a loaded machine
}

TEST_P(HistoryStoreTest, DeviceEventsExpire) {
    HistorySettings settings;
    settings.events_keep_ms = kDay;
    history().configure(settings);
    store_->write_batch({}, {}, {},
                        {EventWrite{"a@b.c", dash_, 0, {"old", "", kBase}},
                         EventWrite{"a@b.c", dash_, 0, {"new", "", kBase + kDay}}});
    settle(kBase + kDay + kHour);
    auto events = store_->device_events("a@b.c", dash_, 0, 10);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].name, "new");
}

STORE_TEST_ON_BOTH_ENGINES(HistoryStoreTest);

}  // namespace
}  // namespace blynk::store
