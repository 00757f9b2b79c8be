// StorageWorker against real databases (SQLite files, PostgreSQL): coalescing, flushing, tasks,
// provisioning from other connections, failures.

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "common/util/clock.hpp"
#include "server/store/sql_handle.hpp"
#include "server/store/storage_worker.hpp"
#include "tests/unit/store_test_support.hpp"

namespace blynk::store {
namespace {

// ---------------------------------------------------------------------------------------------
// StorageWorker

// Records provision callbacks from the worker thread.
struct ProvisionSink {
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<ProvisionEvent> events;

    StorageWorker::ProvisionCallback callback() {
        return [this](std::vector<ProvisionEvent> batch) {
            std::lock_guard lock(mutex);
            events.insert(events.end(), batch.begin(), batch.end());
            cv.notify_all();
        };
    }
    bool wait_for(size_t count, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex);
        return cv.wait_for(lock, timeout, [&] { return events.size() >= count; });
    }
    std::vector<ProvisionEvent> snapshot() {
        std::lock_guard lock(mutex);
        return events;
    }
};

TEST_P(StoreFileTest, StoreWorkerCoalescesPinWrites) {
    std::string token;
    {
        Store store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    }
    StorageWorker worker(path_, std::chrono::hours(1), 0, nullptr);
    for (int i = 0; i < 1000; ++i) {
        worker.put_pins("a@b.c", {{1, 0, kV5, std::to_string(i), i}});
    }
    worker.put_pins("a@b.c", {{1, 0, kD13, "1", 5}});
    auto before = worker.stats();
    EXPECT_EQ(before.pending_pins, 2u);
    EXPECT_EQ(before.flushed_pins, 0u);
    EXPECT_EQ(before.flushes, 0u);

    EXPECT_TRUE(worker.flush_now());
    auto after = worker.stats();
    EXPECT_EQ(after.pending_pins, 0u);
    EXPECT_EQ(after.flushed_pins, 2u);
    EXPECT_EQ(after.flushes, 1u);
    EXPECT_EQ(after.failed_flushes, 0u);

    EXPECT_TRUE(worker.flush_now());  // nothing pending: no empty batch counted
    EXPECT_EQ(worker.stats().flushes, 1u);

    Store reader(path_);
    auto found = reader.find_device_by_token(token);
    ASSERT_TRUE(found.has_value());
    ASSERT_EQ(found->device.pins.size(), 2u);
    EXPECT_EQ(found->device.pins.at(kV5), "999");
    EXPECT_EQ(found->device.pins.at(kD13), "1");
    Database db(path_);
    Statement st(db, "SELECT COUNT(*), MAX(updated_at_ms) FROM pin_values WHERE pin = 'v5'", "t");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.column_int64(0), 1);
    EXPECT_EQ(st.column_int64(1), 999);
}

TEST_P(StoreFileTest, StoreWorkerStopFlushesEverything) {
    std::string token;
    {
        Store store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    }
    {
        StorageWorker worker(path_, std::chrono::hours(1), 0, nullptr);
        worker.put_pins("a@b.c", {{1, 0, kV5, std::string("on\0off", 6), 1}});
        worker.put_property({"a@b.c", 1, 0, 5, "label", "old"});
        worker.put_property({"a@b.c", 1, 0, 5, "label", "new"});
        worker.put_last_seen({"a@b.c", 1, 0, 900, true});
        worker.put_last_seen({"a@b.c", 1, 0, 800, false});  // older: ignored
        // Events of today: the worker's upkeep expires those older than history.events.days.
        const int64_t now = util::now_ms();
        worker.put_event({"a@b.c", 1, 0, {"first", "", now}});
        worker.put_event({"a@b.c", 1, 0, {"second", "", now + 1}});
        worker.put_pins("a@b.c", {{1, 42, kV5, "ghost", 1}});  // unknown device: skipped
        EXPECT_EQ(worker.stats().pending_events, 2u);
        worker.stop();
        worker.stop();  // idempotent
        auto s = worker.stats();
        EXPECT_EQ(s.pending_pins, 0u);
        EXPECT_EQ(s.pending_events, 0u);
        EXPECT_EQ(s.flushes, 1u);
        worker.put_pins("a@b.c", {{1, 0, kV5, "after stop", 2}});  // ignored
        EXPECT_EQ(worker.stats().pending_pins, 0u);
    }
    Store store(path_);
    auto found = store.find_device_by_token(token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->device.pins.at(kV5), std::string("on\0off", 6));
    EXPECT_EQ(found->device.properties.at({5, "label"}), "new");
    EXPECT_EQ(found->device.last_seen_ms, 900);
    EXPECT_TRUE(found->device.online);
    auto events = store.device_events("a@b.c", 1, 0, 10);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].name, "second");
    EXPECT_EQ(events[1].name, "first");
}

TEST_P(StoreFileTest, StoreWorkerSeesProvisioningFromAnotherConnection) {
    int64_t start_seq = 0;
    {
        Store store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        start_seq = store.last_provision_seq();
    }
    ProvisionSink sink;
    StorageWorker worker(path_, 50ms, start_seq, sink.callback());

    Store cli(path_);  // the second connection, as the CLI process would open it
    AddedDevice added = cli.add_device("a@b.c", "Kitchen", "ESP32", std::nullopt, 10);
    ASSERT_TRUE(sink.wait_for(1, 3s)) << "no provision callback within 3 s";
    auto fresh = cli.refresh_token(added.device.token);
    ASSERT_TRUE(fresh.has_value());
    ASSERT_TRUE(sink.wait_for(2, 3s)) << "no callback for the token refresh within 3 s";

    auto events = sink.snapshot();
    ASSERT_EQ(events.size(), 2u);  // the user_added before start_seq is not repeated
    EXPECT_EQ(events[0].kind, kDeviceAdded);
    EXPECT_EQ(events[0].email, "a@b.c");
    EXPECT_EQ(events[0].dash_id, 1);
    EXPECT_EQ(events[0].device_id, 0);
    EXPECT_EQ(events[0].token, added.device.token);
    EXPECT_EQ(events[1].kind, kTokenRefreshed);
    EXPECT_EQ(events[1].token, *fresh);
    EXPECT_EQ(events[1].old_token, added.device.token);
    EXPECT_LT(events[0].seq, events[1].seq);
}

TEST_P(StoreFileTest, StoreWorkerDeliversProvisioningMissedBeforeStart) {
    ProvisionSink sink;
    {
        Store store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10);
    }
    StorageWorker worker(path_, 50ms, 1, sink.callback());  // seq 1 (user_added) already known
    ASSERT_TRUE(sink.wait_for(1, 3s));
    auto events = sink.snapshot();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].seq, 2);
    EXPECT_EQ(events[0].kind, kDeviceAdded);
}

TEST_P(StoreFileTest, StoreWorkerPostedTaskRunsOnWorkerAndIsReported) {
    ProvisionSink sink;
    { Store store(path_); }
    StorageWorker worker(path_, std::chrono::hours(1), 0, sink.callback());
    std::promise<std::string> token;
    ASSERT_TRUE(worker.post([&](Store& store) {
        store.add_user("a@b.c", "", kNoPassword);
        token.set_value(store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token);
    }));
    auto fut = token.get_future();
    ASSERT_EQ(fut.wait_for(3s), std::future_status::ready);
    std::string t = fut.get();
    ASSERT_TRUE(sink.wait_for(2, 3s));
    auto events = sink.snapshot();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, kUserAdded);
    EXPECT_EQ(events[1].kind, kDeviceAdded);
    EXPECT_EQ(events[1].token, t);
    worker.stop();
    EXPECT_FALSE(worker.post([](Store&) {}));
}

TEST_P(StoreFileTest, StoreWorkerFlushesOnItsIntervalAndInsideTasks) {
    std::string token;
    {
        Store store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    }
    StorageWorker worker(path_, 0ms, 0, nullptr);  // 0 is raised to kMinFlushInterval
    worker.put_pins("a@b.c", {{1, 0, kV5, "timed", 1}});
    auto deadline = std::chrono::steady_clock::now() + 3s;
    while (worker.stats().flushes == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
    }
    EXPECT_EQ(worker.stats().flushes, 1u);
    EXPECT_EQ(worker.stats().flushed_pins, 1u);

    // flush_now() from a task runs inline instead of deadlocking on itself.
    std::promise<std::string> seen;
    ASSERT_TRUE(worker.post([&](Store& store) {
        worker.put_pins("a@b.c", {{1, 0, kV5, "from task", 2}});
        bool ok = worker.flush_now();
        auto row = store.find_device_by_token(token);
        seen.set_value(ok && row ? row->device.pins.at(kV5) : "flush failed");
    }));
    auto fut = seen.get_future();
    ASSERT_EQ(fut.wait_for(3s), std::future_status::ready);
    EXPECT_EQ(fut.get(), "from task");
}

// Holds the write lock from another connection so the worker's batch fails with SQLITE_BUSY
// after the 5 s busy timeout; the data must survive for the next attempt.
TEST_P(StoreFileTest, StoreWorkerKeepsDataWhenBatchFails) {
    std::string token;
    {
        Store store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    }
    StorageWorker worker(path_, std::chrono::hours(1), 0, nullptr);
    Database blocker(path_);
    auto lock = std::make_unique<Transaction>(blocker);
    worker.put_pins("a@b.c", {{1, 0, kV5, "kept", 1}});
    worker.put_event({"a@b.c", 1, 0, {"ev", "", util::now_ms()}});  // recent: not expired
    model::Dashboard renamed;
    renamed.id = 1;
    renamed.name = "Renamed";
    worker.put_dashboards("a@b.c", {renamed});
    EXPECT_FALSE(worker.flush_now());
    auto s = worker.stats();
    EXPECT_EQ(s.failed_flushes, 1u);
    EXPECT_EQ(s.pending_pins, 1u);
    EXPECT_EQ(s.pending_events, 1u);
    EXPECT_EQ(s.pending_dashboards, 1u);
    worker.put_pins("a@b.c", {{1, 0, kV5, "newer", 2}});  // newer than the failed batch: wins
    EXPECT_EQ(worker.stats().pending_pins, 1u);

    lock.reset();  // roll back: the lock is released
    EXPECT_TRUE(worker.flush_now());
    EXPECT_EQ(worker.stats().flushes, 1u);
    Store reader(path_);
    auto found = reader.find_device_by_token(token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->device.pins.at(kV5), "newer");
    EXPECT_EQ(reader.device_events("a@b.c", 1, 0, 10).size(), 1u);
    EXPECT_EQ(reader.load_all().at(0).dashboards.at(0).name, "Renamed");
}

// The backlog bound holds while flushes fail: beyond it new slots are dropped and counted, and
// slots already waiting keep taking their latest value. A healthy disk takes every slot however
// many distinct pins change in one interval (a bound then would lose last values under load).
TEST_P(StoreFileTest, StoreWorkerBacklogBoundsSlotsOnlyWhileFlushesFail) {
    std::string token;
    {
        Store store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    }
    StorageWorker worker(path_, std::chrono::hours(1), 0, nullptr, 3);
    const PinKey v1{PinType::Virtual, 1}, v2{PinType::Virtual, 2}, v3{PinType::Virtual, 3},
        v4{PinType::Virtual, 4};
    worker.put_pins("a@b.c", {{1, 0, kV5, "a", 1}, {1, 0, v1, "b", 1}, {1, 0, v2, "c", 1}});
    worker.put_property({"a@b.c", 1, 0, 5, "label", "L"});
    auto s = worker.stats();
    EXPECT_EQ(s.pending_pins, 3u);
    EXPECT_EQ(s.pending_properties, 1u);
    EXPECT_EQ(s.dropped_values, 0u) << "over the bound, but nothing has failed";

    Database blocker(path_);
    auto lock = std::make_unique<Transaction>(blocker);
    EXPECT_FALSE(worker.flush_now());  // SQLITE_BUSY after the 5 s busy timeout
    worker.put_pins("a@b.c", {{1, 0, v3, "dropped", 2}, {1, 0, kV5, "latest", 2}});
    worker.put_property({"a@b.c", 1, 0, 5, "color", "dropped"});
    worker.put_property({"a@b.c", 1, 0, 5, "label", "L2"});
    s = worker.stats();
    EXPECT_EQ(s.pending_pins, 3u);
    EXPECT_EQ(s.pending_properties, 1u);
    EXPECT_EQ(s.dropped_values, 2u);

    lock.reset();
    EXPECT_TRUE(worker.flush_now());
    worker.put_pins("a@b.c", {{1, 0, v4, "room again", 3}});  // the flush succeeded
    EXPECT_EQ(worker.stats().pending_pins, 1u);
    EXPECT_TRUE(worker.flush_now());
    Store reader(path_);
    auto found = reader.find_device_by_token(token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->device.pins.at(kV5), "latest");
    EXPECT_EQ(found->device.pins.at(v1), "b");
    EXPECT_EQ(found->device.pins.at(v2), "c");
    EXPECT_EQ(found->device.pins.at(v4), "room again");
    EXPECT_EQ(found->device.pins.count(v3), 0u);
    EXPECT_EQ(found->device.properties.size(), 1u);
    EXPECT_EQ((found->device.properties[{5, "label"}]), "L2");
}

TEST(StoreWorker, OpenFailureThrowsFromConstructor) {
    std::string err = error_of([] {
        StorageWorker worker("/nonexistent-dir-for-blynkd-test/x/blynkd.db", 1s, 0, nullptr);
    });
    EXPECT_NE(err.find("open database /nonexistent-dir-for-blynkd-test/x/blynkd.db"),
              std::string::npos)
        << err;
}

}  // namespace
}  // namespace blynk::store
