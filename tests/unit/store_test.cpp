// SqliteStore, migrations and StorageWorker against real SQLite (":memory:" and temp files).

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/store/migrations.hpp"
#include "server/store/sqlite_handle.hpp"
#include "server/store/sqlite_store.hpp"
#include "server/store/storage_worker.hpp"

namespace blynk::store {
namespace {

using namespace std::chrono_literals;
using model::PinKey;
using model::PinType;

const PinKey kV5{PinType::Virtual, 5};
const PinKey kD13{PinType::Digital, 13};

bool is_token(const std::string& t) {
    return t.size() == 32 && std::all_of(t.begin(), t.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
           });
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const StoreError& e) {
        return e.what();
    }
    return "(no StoreError)";
}

// A fresh directory per test, removed afterwards.
class StoreFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        static std::atomic<int> counter{0};
        dir_ =
            std::filesystem::path(::testing::TempDir()) /
            ("blynkd_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        path_ = SqliteStore::db_path(dir_).string();
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    std::filesystem::path dir_;
    std::string path_;
};

// ---------------------------------------------------------------------------------------------
// Migrations

TEST(StoreMigrations, InMemoryIdempotentAndVersionSet) {
    Database db(":memory:");
    EXPECT_EQ(schema_version(db), 0);
    open_schema(db);
    EXPECT_EQ(schema_version(db), latest_schema_version());
    EXPECT_EQ(latest_schema_version(), 1);
    open_schema(db);  // second run: nothing to do, no error
    EXPECT_EQ(schema_version(db), latest_schema_version());

    Statement fk(db, "PRAGMA foreign_keys", "read foreign_keys");
    ASSERT_TRUE(fk.step());
    EXPECT_EQ(fk.column_int(0), 1);
}

TEST_F(StoreFileTest, StoreMigrationsFileIdempotentWalAndDataKept) {
    EXPECT_EQ(path_, (dir_ / "blynkd.db").string());
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "hash");
    }
    {
        SqliteStore store(path_);  // reopen: migrations must not re-run or lose data
        auto users = store.load_all();
        ASSERT_EQ(users.size(), 1u);
        EXPECT_EQ(users[0].email, "a@b.c");
        EXPECT_EQ(users[0].password_hash, "hash");
    }
    Database db(path_);
    EXPECT_EQ(schema_version(db), latest_schema_version());
    Statement mode(db, "PRAGMA journal_mode", "read journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode.column_text(0), "wal");
}

TEST_F(StoreFileTest, StoreMigrationsRefuseNewerUserVersion) {
    { SqliteStore store(path_); }
    {
        Database db(path_);
        db.exec("PRAGMA user_version = 99", "test: pretend a newer blynkd wrote this");
    }
    std::string err = error_of([&] { SqliteStore store(path_); });
    EXPECT_NE(err.find("schema version 99"), std::string::npos) << err;
    EXPECT_NE(err.find("newer blynkd"), std::string::npos) << err;
    EXPECT_NE(err.find(path_), std::string::npos) << err;
}

TEST(StoreHandle, ErrorNamesPurposeAndSqliteMessage) {
    Database db(":memory:");
    std::string err = error_of([&] { db.exec("SELEC 1", "test purpose"); });
    EXPECT_EQ(err.rfind("test purpose: ", 0), 0u) << err;
    EXPECT_NE(err.find("syntax error"), std::string::npos) << err;

    // Transaction rolls back when not committed.
    db.exec("CREATE TABLE t (x INTEGER)", "create");
    {
        Transaction tx(db);
        db.exec("INSERT INTO t VALUES (1)", "insert");
    }
    Statement count(db, "SELECT COUNT(*) FROM t", "count");
    ASSERT_TRUE(count.step());
    EXPECT_EQ(count.column_int64(0), 0);
}

// ---------------------------------------------------------------------------------------------
// Provisioning

TEST(StoreSqlite, AddUserDuplicateIsRefused) {
    SqliteStore store(":memory:");
    model::User u = store.add_user("a@b.c", "h1");
    EXPECT_EQ(u.email, "a@b.c");
    EXPECT_EQ(u.password_hash, "h1");
    EXPECT_GT(u.created_at_ms, 0);
    EXPECT_TRUE(u.dashboards.empty());
    EXPECT_EQ(error_of([&] { store.add_user("a@b.c", "h2"); }), "user a@b.c already exists");
    auto users = store.load_all();
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].password_hash, "h1");

    auto events = store.provision_events_after(0);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, kUserAdded);
    EXPECT_EQ(events[0].email, "a@b.c");
    EXPECT_EQ(store.last_provision_seq(), events[0].seq);
}

TEST(StoreSqlite, AddDeviceCreatesDashboardAndNumbersFromZero) {
    SqliteStore store(":memory:");
    EXPECT_EQ(error_of([&] { store.add_device("x@y.z", "n", "ESP32", std::nullopt, 10); }),
              "no user x@y.z; create it with: blynkd user add x@y.z");

    store.add_user("a@b.c", "");
    AddedDevice d0 = store.add_device("a@b.c", "Kitchen", "ESP32", std::nullopt, 10);
    AddedDevice d1 = store.add_device("a@b.c", "Garage", "ESP8266", std::nullopt, 10);
    EXPECT_EQ(d0.email, "a@b.c");
    EXPECT_EQ(d0.dash_id, 1);
    EXPECT_EQ(d0.device.id, 0);
    EXPECT_EQ(d0.device.name, "Kitchen");
    EXPECT_EQ(d0.device.board_type, "ESP32");
    EXPECT_EQ(d0.device.last_seen_ms, 0);
    EXPECT_EQ(d1.dash_id, 1);
    EXPECT_EQ(d1.device.id, 1);
    EXPECT_TRUE(is_token(d0.device.token)) << d0.device.token;
    EXPECT_TRUE(is_token(d1.device.token)) << d1.device.token;
    EXPECT_NE(d0.device.token, d1.device.token);

    AddedDevice d5 = store.add_device("a@b.c", "Other", "Arduino", 5, 10);
    EXPECT_EQ(d5.dash_id, 5);
    EXPECT_EQ(d5.device.id, 0);

    auto users = store.load_all();
    ASSERT_EQ(users.size(), 1u);
    ASSERT_EQ(users[0].dashboards.size(), 2u);
    EXPECT_EQ(users[0].dashboards[0].id, 1);
    EXPECT_EQ(users[0].dashboards[0].name, "My Project");
    ASSERT_EQ(users[0].dashboards[0].devices.size(), 2u);
    EXPECT_EQ(users[0].dashboards[0].devices[0].name, "Kitchen");
    EXPECT_EQ(users[0].dashboards[0].devices[0].token, d0.device.token);
    EXPECT_EQ(users[0].dashboards[0].devices[1].board_type, "ESP8266");
    EXPECT_EQ(users[0].dashboards[1].id, 5);
    EXPECT_EQ(users[0].dashboards[1].name, "Dashboard 5");

    // nullopt picks the lowest existing dashboard.
    AddedDevice d2 = store.add_device("a@b.c", "", "", std::nullopt, 10);
    EXPECT_EQ(d2.dash_id, 1);
    EXPECT_EQ(d2.device.id, 2);
    EXPECT_EQ(d2.device.name, "");

    auto rows = store.list_devices(std::string("a@b.c"));
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].dash_id, 1);
    EXPECT_EQ(rows[2].device.id, 2);
    EXPECT_EQ(rows[3].dash_id, 5);
    EXPECT_TRUE(store.list_devices(std::string("nobody@b.c")).empty());
    store.add_user("b@b.c", "");
    store.add_device("b@b.c", "B", "ESP32", std::nullopt, 10);
    EXPECT_EQ(store.list_devices(std::nullopt).size(), 5u);

    auto events = store.provision_events_after(0);
    ASSERT_EQ(events.size(), 7u);
    EXPECT_EQ(events[1].kind, kDeviceAdded);
    EXPECT_EQ(events[1].dash_id, 1);
    EXPECT_EQ(events[1].device_id, 0);
    EXPECT_EQ(events[1].token, d0.device.token);
    EXPECT_EQ(events[3].dash_id, 5);
    EXPECT_EQ(store.provision_events_after(events[5].seq).size(), 1u);
}

TEST(StoreSqlite, DevicesLimitIsEnforcedPerDashboard) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "");
    store.add_device("a@b.c", "1", "ESP32", std::nullopt, 2);
    store.add_device("a@b.c", "2", "ESP32", std::nullopt, 2);
    EXPECT_EQ(error_of([&] { store.add_device("a@b.c", "3", "ESP32", std::nullopt, 2); }),
              "dashboard 1 of a@b.c already has 2 devices (limit 2)");
    EXPECT_EQ(store.list_devices(std::nullopt).size(), 2u);
    EXPECT_EQ(store.add_device("a@b.c", "3", "ESP32", 2, 2).device.id, 0);
    EXPECT_EQ(store.last_provision_seq(), 4);  // the refused add left no trace
}

TEST(StoreSqlite, RefreshTokenReplacesOldToken) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "");
    AddedDevice d = store.add_device("a@b.c", "Kitchen", "ESP32", std::nullopt, 10);
    const std::string old_token = d.device.token;

    auto fresh = store.refresh_token(old_token);
    ASSERT_TRUE(fresh.has_value());
    EXPECT_TRUE(is_token(*fresh));
    EXPECT_NE(*fresh, old_token);
    EXPECT_FALSE(store.find_device_by_token(old_token).has_value());
    auto found = store.find_device_by_token(*fresh);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->email, "a@b.c");
    EXPECT_EQ(found->dash_id, 1);
    EXPECT_EQ(found->device.id, 0);
    EXPECT_EQ(found->device.name, "Kitchen");
    EXPECT_EQ(found->device.token, *fresh);

    EXPECT_FALSE(store.refresh_token(old_token).has_value());
    EXPECT_FALSE(store.refresh_token("").has_value());

    auto events = store.provision_events_after(0);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[2].kind, kTokenRefreshed);
    EXPECT_EQ(events[2].token, *fresh);
    EXPECT_EQ(events[2].old_token, old_token);
    EXPECT_EQ(events[2].device_id, 0);
}

// ---------------------------------------------------------------------------------------------
// Batched writes

TEST_F(StoreFileTest, StoreLoadAllRoundTripsPinsWithNulBytesAndProperties) {
    const std::string multi("a\0b\0\0c", 6);
    std::string token;
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "");
        token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
        store.write_batch({{"a@b.c", 1, 0, kV5, multi, 100}, {"a@b.c", 1, 0, kD13, "", 101}},
                          {{"a@b.c", 1, 0, 5, "label", std::string("x\0y", 3)},
                           {"a@b.c", 1, 0, 5, "color", "#ff0000"}},
                          {{"a@b.c", 1, 0, 12345, true}}, {});
    }
    SqliteStore store(path_);
    auto users = store.load_all();
    ASSERT_EQ(users.size(), 1u);
    ASSERT_EQ(users[0].dashboards.size(), 1u);
    ASSERT_EQ(users[0].dashboards[0].devices.size(), 1u);
    const model::Device& dev = users[0].dashboards[0].devices[0];
    EXPECT_EQ(dev.last_seen_ms, 12345);
    EXPECT_TRUE(dev.online);
    ASSERT_EQ(dev.pins.size(), 2u);
    EXPECT_EQ(dev.pins.at(kV5), multi);
    EXPECT_EQ(dev.pins.at(kV5).size(), 6u);
    EXPECT_EQ(dev.pins.at(kD13), "");
    ASSERT_EQ(dev.properties.size(), 2u);
    EXPECT_EQ(dev.properties.at({5, "label"}), std::string("x\0y", 3));
    EXPECT_EQ(dev.properties.at({5, "color"}), "#ff0000");

    auto found = store.find_device_by_token(token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->device.pins.at(kV5), multi);
    EXPECT_EQ(found->device.properties.at({5, "label"}), std::string("x\0y", 3));
    // list_devices leaves pins out.
    auto rows = store.list_devices(std::nullopt);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].device.pins.empty());
}

TEST_F(StoreFileTest, WriteBatchSkipsRowsOfMissingDevicesAndKeepsTheRest) {
    SqliteStore store(path_);
    store.add_user("a@b.c", "");
    std::string token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    const PinKey kV1{PinType::Virtual, 1};
    // Rows are written in key order: the orphans sort before, between and after device 0's.
    store.write_batch({{"a@b.c", 1, 7, kV5, "orphan", 1},
                       {"a@b.c", 1, 0, kV5, "five", 2},
                       {"0@b.c", 1, 0, kV5, "orphan", 3},
                       {"a@b.c", 1, 0, kV1, "one", 4},
                       {"z@b.c", 1, 0, kV1, "orphan", 5}},
                      {}, {}, {});
    auto found = store.find_device_by_token(token);
    ASSERT_TRUE(found.has_value());
    ASSERT_EQ(found->device.pins.size(), 2u);
    EXPECT_EQ(found->device.pins.at(kV5), "five");
    EXPECT_EQ(found->device.pins.at(kV1), "one");
    Database db(path_);  // no orphan row was written for anybody else either
    Statement rows(db, "SELECT COUNT(*) FROM pin_values", "count pin rows");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.column_int(0), 2);
}

TEST(StoreSqlite, WriteBatchUpsertKeepsLastValue) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "");
    std::string token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    store.write_batch({{"a@b.c", 1, 0, kV5, "1", 10}}, {{"a@b.c", 1, 0, 5, "label", "one"}},
                      {{"a@b.c", 1, 0, 500, true}}, {});
    store.write_batch({{"a@b.c", 1, 0, kV5, "2", 20}, {"a@b.c", 1, 0, kV5, "3", 30}},
                      {{"a@b.c", 1, 0, 5, "label", "two"}}, {{"a@b.c", 1, 0, 400, false}}, {});
    auto found = store.find_device_by_token(token);
    ASSERT_TRUE(found.has_value());
    ASSERT_EQ(found->device.pins.size(), 1u);
    EXPECT_EQ(found->device.pins.at(kV5), "3");
    ASSERT_EQ(found->device.properties.size(), 1u);
    EXPECT_EQ(found->device.properties.at({5, "label"}), "two");
    EXPECT_EQ(found->device.last_seen_ms, 500);  // never moves backwards
    EXPECT_TRUE(found->device.online);           // and an older report does not flip it
    store.write_batch({}, {}, {{"a@b.c", 1, 0, 500, false}}, {});
    found = store.find_device_by_token(token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->device.last_seen_ms, 500);
    EXPECT_FALSE(found->device.online);
    store.write_batch({}, {}, {{"a@b.c", 1, 0, 600, true}}, {});
    auto rows = store.list_devices(std::nullopt);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].device.online);
    EXPECT_EQ(rows[0].device.last_seen_ms, 600);
    EXPECT_EQ(store.mark_all_offline(), 1u);
    EXPECT_EQ(store.mark_all_offline(), 0u);
    EXPECT_FALSE(store.list_devices(std::nullopt)[0].device.online);
    EXPECT_EQ(store.list_devices(std::nullopt)[0].device.last_seen_ms, 600);
}

TEST(StoreSqlite, WriteBatchSkipsUnknownDevices) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "");
    std::string token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    model::DeviceEvent ev{"online", "came back", 1000};
    EXPECT_NO_THROW(store.write_batch(
        {{"a@b.c", 1, 7, kV5, "ghost", 1},
         {"a@b.c", 1, 0, kV5, "real", 2},
         {"nobody@b.c", 1, 0, kV5, "ghost", 3}},
        {{"a@b.c", 2, 0, 5, "label", "ghost"}, {"a@b.c", 1, 0, 5, "label", "real"}},
        {{"a@b.c", 1, 9, 77}, {"a@b.c", 1, 0, 88}}, {{"a@b.c", 1, 3, ev}, {"a@b.c", 1, 0, ev}}));
    auto found = store.find_device_by_token(token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->device.pins.at(kV5), "real");
    EXPECT_EQ(found->device.properties.at({5, "label"}), "real");
    EXPECT_EQ(found->device.last_seen_ms, 88);
    EXPECT_EQ(store.device_events("a@b.c", 1, 0, 10).size(), 1u);
    EXPECT_TRUE(store.device_events("a@b.c", 1, 3, 10).empty());
    auto users = store.load_all();
    ASSERT_EQ(users.size(), 1u);
    ASSERT_EQ(users[0].dashboards.size(), 1u);
    EXPECT_EQ(users[0].dashboards[0].devices.size(), 1u);
}

TEST(StoreSqlite, DeviceEventsNewestFirstWithLimit) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "");
    store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10);
    std::vector<EventWrite> events;
    for (int i = 0; i < 5; ++i) {
        events.push_back({"a@b.c", 1, 0, {"e" + std::to_string(i), "d" + std::to_string(i), i}});
    }
    store.write_batch({}, {}, {}, events);
    auto got = store.device_events("a@b.c", 1, 0, 3);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].name, "e4");
    EXPECT_EQ(got[0].description, "d4");
    EXPECT_EQ(got[0].time_ms, 4);
    EXPECT_EQ(got[2].name, "e2");
    EXPECT_EQ(store.device_events("a@b.c", 1, 0, 100).size(), 5u);
}

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

TEST_F(StoreFileTest, StoreWorkerCoalescesPinWrites) {
    std::string token;
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "");
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

    SqliteStore reader(path_);
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

TEST_F(StoreFileTest, StoreWorkerStopFlushesEverything) {
    std::string token;
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "");
        token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    }
    {
        StorageWorker worker(path_, std::chrono::hours(1), 0, nullptr);
        worker.put_pins("a@b.c", {{1, 0, kV5, std::string("on\0off", 6), 1}});
        worker.put_property({"a@b.c", 1, 0, 5, "label", "old"});
        worker.put_property({"a@b.c", 1, 0, 5, "label", "new"});
        worker.put_last_seen({"a@b.c", 1, 0, 900, true});
        worker.put_last_seen({"a@b.c", 1, 0, 800, false});  // older: ignored
        worker.put_event({"a@b.c", 1, 0, {"first", "", 1}});
        worker.put_event({"a@b.c", 1, 0, {"second", "", 2}});
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
    SqliteStore store(path_);
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

TEST_F(StoreFileTest, StoreWorkerSeesProvisioningFromAnotherConnection) {
    int64_t start_seq = 0;
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "");
        start_seq = store.last_provision_seq();
    }
    ProvisionSink sink;
    StorageWorker worker(path_, 50ms, start_seq, sink.callback());

    SqliteStore cli(path_);  // the second connection, as the CLI process would open it
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

TEST_F(StoreFileTest, StoreWorkerDeliversProvisioningMissedBeforeStart) {
    ProvisionSink sink;
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "");
        store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10);
    }
    StorageWorker worker(path_, 50ms, 1, sink.callback());  // seq 1 (user_added) already known
    ASSERT_TRUE(sink.wait_for(1, 3s));
    auto events = sink.snapshot();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].seq, 2);
    EXPECT_EQ(events[0].kind, kDeviceAdded);
}

TEST_F(StoreFileTest, StoreWorkerPostedTaskRunsOnWorkerAndIsReported) {
    ProvisionSink sink;
    { SqliteStore store(path_); }
    StorageWorker worker(path_, std::chrono::hours(1), 0, sink.callback());
    std::promise<std::string> token;
    ASSERT_TRUE(worker.post([&](SqliteStore& store) {
        store.add_user("a@b.c", "");
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
    EXPECT_FALSE(worker.post([](SqliteStore&) {}));
}

TEST_F(StoreFileTest, StoreWorkerFlushesOnItsIntervalAndInsideTasks) {
    std::string token;
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "");
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
    ASSERT_TRUE(worker.post([&](SqliteStore& store) {
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
TEST_F(StoreFileTest, StoreWorkerKeepsDataWhenBatchFails) {
    std::string token;
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "");
        token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    }
    StorageWorker worker(path_, std::chrono::hours(1), 0, nullptr);
    Database blocker(path_);
    auto lock = std::make_unique<Transaction>(blocker);
    worker.put_pins("a@b.c", {{1, 0, kV5, "kept", 1}});
    worker.put_event({"a@b.c", 1, 0, {"ev", "", 1}});
    EXPECT_FALSE(worker.flush_now());
    auto s = worker.stats();
    EXPECT_EQ(s.failed_flushes, 1u);
    EXPECT_EQ(s.pending_pins, 1u);
    EXPECT_EQ(s.pending_events, 1u);
    worker.put_pins("a@b.c", {{1, 0, kV5, "newer", 2}});  // newer than the failed batch: wins
    EXPECT_EQ(worker.stats().pending_pins, 1u);

    lock.reset();  // roll back: the lock is released
    EXPECT_TRUE(worker.flush_now());
    EXPECT_EQ(worker.stats().flushes, 1u);
    SqliteStore reader(path_);
    auto found = reader.find_device_by_token(token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->device.pins.at(kV5), "newer");
    EXPECT_EQ(reader.device_events("a@b.c", 1, 0, 10).size(), 1u);
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
