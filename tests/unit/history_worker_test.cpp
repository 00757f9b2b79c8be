// The storage worker's history path: every point kept (never coalesced), written with the
// flush, the backlog bounded with drops counted, points kept through a failed flush.

#include <vector>

#include "common/util/clock.hpp"
#include "server/store/sql_handle.hpp"
#include "server/store/storage_worker.hpp"
#include "tests/unit/store_test_support.hpp"

namespace blynk::store {
namespace {

// An hour ago, on a minute: the worker's upkeep (retention, history.raw.days) must not take the
// points away between the flush and the check.
const int64_t kT = (util::now_ms() / 60'000 - 60) * 60'000;

std::vector<HistoryUpdate> points(int n, int64_t from = kT) {
    std::vector<HistoryUpdate> out;
    for (int i = 0; i < n; ++i)
        out.push_back({1, 0, kV5, static_cast<double>(i), from + i});
    return out;
}

size_t stored(const std::string& path) {
    Store store(path);
    return store.history()
        .query("a@b.c", 1, 0, kV5, {0, INT64_MAX, model::HistoryResolution::Raw, 0, false})
        .size();
}

class HistoryWorkerTest : public StoreFileTest {
protected:
    void SetUp() override {
        StoreFileTest::SetUp();
        Store store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10);
    }
};

TEST_P(HistoryWorkerTest, EveryPointIsWrittenWithTheFlush) {
    StorageWorker worker(path_, std::chrono::hours(1), 0, nullptr);
    worker.put_history("a@b.c", points(300));
    worker.put_history("a@b.c", points(200, kT + 300));
    EXPECT_EQ(worker.stats().pending_history, 500u);
    EXPECT_TRUE(worker.flush_now());
    EXPECT_EQ(worker.stats().pending_history, 0u);
    EXPECT_EQ(worker.stats().flushed_history, 500u);
    worker.stop();
    EXPECT_EQ(stored(path_), 500u);
}

TEST_P(HistoryWorkerTest, TheBacklogIsBoundedAndDropsAreCounted) {
    StorageWorker worker(path_, std::chrono::hours(1), 0, nullptr);
    worker.configure_history(HistorySettings{}, 1000);
    worker.put_history("a@b.c", points(1500));
    // Not the pending count: a half-full backlog wakes the worker to flush early, which may
    // already have taken the points (seen once in a clean-clone run).
    EXPECT_EQ(worker.stats().dropped_history, 500u);
    worker.stop();  // the final flush writes what was kept
    EXPECT_EQ(stored(path_), 1000u);
    EXPECT_EQ(worker.stats().flushed_history, 1000u);
}

TEST_P(HistoryWorkerTest, PointsOfAFailedFlushAreKeptAndWrittenLater) {
    StorageWorker worker(path_, std::chrono::hours(1), 0, nullptr);
    worker.put_history("a@b.c", points(10));
    {
        Database blocker(path_);
        Transaction lock(blocker);         // holds the write lock
        EXPECT_FALSE(worker.flush_now());  // waits out the 5 s busy timeout
        EXPECT_EQ(worker.stats().pending_history, 10u);
        blocker.exec("ROLLBACK", "release");
    }
    worker.put_history("a@b.c", points(5, kT + 10));
    EXPECT_TRUE(worker.flush_now());
    worker.stop();
    Store store(path_);
    auto got = store.history().query("a@b.c", 1, 0, kV5,
                                     {0, INT64_MAX, model::HistoryResolution::Raw, 0, false});
    ASSERT_EQ(got.size(), 15u);
    EXPECT_EQ(got.front().time_ms, kT);  // in time order: the kept points first
    EXPECT_EQ(got.back().time_ms, kT + 14);
}

STORE_TEST_ON_BOTH_ENGINES(HistoryWorkerTest);

}  // namespace
}  // namespace blynk::store
