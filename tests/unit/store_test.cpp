// Store and migrations against real databases: SQLite files (and :memory:) and PostgreSQL.

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

#include "common/util/clock.hpp"
#include "server/model/widget.hpp"
#include "server/store/migrations.hpp"
#include "server/store/sql_handle.hpp"
#include "server/store/store.hpp"
#include "tests/unit/store_test_support.hpp"

namespace blynk::store {
namespace {

// ---------------------------------------------------------------------------------------------
// Migrations

TEST(StoreMigrations, InMemoryIdempotentAndVersionSet) {
    Database db(":memory:");
    EXPECT_EQ(schema_version(db), 0);
    open_schema(db);
    EXPECT_EQ(schema_version(db), latest_schema_version());
    EXPECT_EQ(latest_schema_version(), 5);
    open_schema(db);  // second run: nothing to do, no error
    EXPECT_EQ(schema_version(db), latest_schema_version());

    Statement fk(db, "PRAGMA foreign_keys", "read foreign_keys");
    ASSERT_TRUE(fk.step());
    EXPECT_EQ(fk.column_int(0), 1);
}

TEST_F(SqliteFileTest, StoreMigrationsFileIdempotentWalAndDataKept) {
    EXPECT_EQ(path_, (dir_ / "blynkd.db").string());
    {
        Store store(path_);
        store.add_user("a@b.c", "hash", model::PasswordKind::App);
    }
    {
        Store store(path_);  // reopen: migrations must not re-run or lose data
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

TEST_F(SqliteFileTest, StoreMigrationsRefuseNewerUserVersion) {
    { Store store(path_); }
    {
        Database db(path_);
        db.exec("PRAGMA user_version = 99", "test: pretend a newer blynkd wrote this");
    }
    std::string err = error_of([&] { Store store(path_); });
    EXPECT_NE(err.find("schema version 99"), std::string::npos) << err;
    EXPECT_NE(err.find("newer blynkd"), std::string::npos) << err;
    EXPECT_NE(err.find(path_), std::string::npos) << err;
}

constexpr const char* kTokenA = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
constexpr const char* kTokenB = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

// A data folder as the release with schema 1 left it: two users (one with a password made by
// the old CLI), two dashboards, two devices with pins, a property, events and provision log.
void write_schema_v1_database(const std::string& path) {
    Database db(path);
    db.exec("PRAGMA journal_mode=WAL", "test: WAL as the release used it");
    // Migration 1 is never edited: it is the schema releases before migration 2 wrote.
    db.exec(migrations()[0].sqlite_sql, "test: schema 1");
    db.exec("PRAGMA user_version = 1", "test: schema version 1");
    db.exec(R"sql(
INSERT INTO users VALUES ('old@b.c', 'pbkdf2-sha256$200000$salt$hash', 1000);
INSERT INTO users VALUES ('nopass@b.c', '', 2000);
INSERT INTO dashboards VALUES ('old@b.c', 1, 'My Project');
INSERT INTO dashboards VALUES ('old@b.c', 4, 'Dashboard 4');
INSERT INTO devices VALUES ('old@b.c', 1, 0, 'Kitchen', 'ESP32', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
                            3000, 3500, 1);
INSERT INTO devices VALUES ('old@b.c', 4, 2, 'Garage', 'ESP8266',
                            'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', 4000, 0, 0);
INSERT INTO pin_values VALUES ('old@b.c', 1, 0, 'v5', X'6F6E006F6666', 3100);
INSERT INTO pin_values VALUES ('old@b.c', 4, 2, 'd13', '1', 4100);
INSERT INTO pin_properties VALUES ('old@b.c', 1, 0, 5, 'label', 'Temp');
INSERT INTO device_events (user_email, dash_id, device_id, name, description, time_ms)
    VALUES ('old@b.c', 1, 0, 'online', 'came back', 3200);
INSERT INTO provision_log (kind, user_email, time_ms) VALUES ('user_added', 'old@b.c', 1000);
INSERT INTO provision_log (kind, user_email, dash_id, device_id, token, time_ms)
    VALUES ('device_added', 'old@b.c', 1, 0, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 3000);
)sql",
            "test: schema 1 rows");
}

TEST_F(SqliteFileTest, StoreMigrationsSchemaOneFileKeepsEveryValueAndGetsDefaults) {
    write_schema_v1_database(path_);
    Store store(path_);
    {
        Database db(path_);
        EXPECT_EQ(schema_version(db), 5);
    }
    auto users = store.load_all();
    ASSERT_EQ(users.size(), 2u);
    const model::User& nopass = users[0];
    EXPECT_EQ(nopass.email, "nopass@b.c");
    EXPECT_EQ(nopass.password_hash, "");
    EXPECT_EQ(nopass.password_kind, model::PasswordKind::None);
    EXPECT_EQ(nopass.created_at_ms, 2000);
    EXPECT_FALSE(nopass.admin) << "nobody becomes an administrator by migrating";
    EXPECT_TRUE(nopass.dashboards.empty());

    const model::User& old = users[1];
    EXPECT_EQ(old.email, "old@b.c");
    EXPECT_EQ(old.password_hash, "pbkdf2-sha256$200000$salt$hash");
    EXPECT_EQ(old.password_kind, model::PasswordKind::Clear);
    EXPECT_EQ(old.created_at_ms, 1000);
    EXPECT_TRUE(old.push_tokens.empty());
    ASSERT_EQ(old.dashboards.size(), 2u);
    for (const model::Dashboard& d : old.dashboards) {
        EXPECT_EQ(d.created_at_ms, 0);
        EXPECT_EQ(d.updated_at_ms, 0);
        EXPECT_FALSE(d.active);
        EXPECT_FALSE(d.app_connected_on);
        EXPECT_FALSE(d.notifications_off);
        EXPECT_FALSE(d.shared);
        EXPECT_EQ(d.share_token, "");
        EXPECT_EQ(d.settings, "{}");
        EXPECT_TRUE(d.widgets.empty());
        ASSERT_EQ(d.devices.size(), 1u);
        EXPECT_EQ(d.devices[0].extra, "{}");
    }
    EXPECT_EQ(old.dashboards[0].id, 1);
    EXPECT_EQ(old.dashboards[0].name, "My Project");
    const model::Device& kitchen = old.dashboards[0].devices[0];
    EXPECT_EQ(kitchen.id, 0);
    EXPECT_EQ(kitchen.name, "Kitchen");
    EXPECT_EQ(kitchen.board_type, "ESP32");
    EXPECT_EQ(kitchen.token, kTokenA);
    EXPECT_EQ(kitchen.created_at_ms, 3000);
    EXPECT_EQ(kitchen.last_seen_ms, 3500);
    EXPECT_TRUE(kitchen.online);
    ASSERT_EQ(kitchen.pins.size(), 1u);
    EXPECT_EQ(kitchen.pins.at(kV5), std::string("on\0off", 6));
    ASSERT_EQ(kitchen.properties.size(), 1u);
    EXPECT_EQ(kitchen.properties.at({5, "label"}), "Temp");

    EXPECT_EQ(old.dashboards[1].id, 4);
    EXPECT_EQ(old.dashboards[1].name, "Dashboard 4");
    const model::Device& garage = old.dashboards[1].devices[0];
    EXPECT_EQ(garage.id, 2);
    EXPECT_EQ(garage.name, "Garage");
    EXPECT_EQ(garage.board_type, "ESP8266");
    EXPECT_EQ(garage.token, kTokenB);
    EXPECT_EQ(garage.created_at_ms, 4000);
    EXPECT_EQ(garage.last_seen_ms, 0);
    EXPECT_FALSE(garage.online);
    EXPECT_EQ(garage.pins.at(kD13), "1");

    auto events = store.device_events("old@b.c", 1, 0, 10);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].name, "online");
    EXPECT_EQ(events[0].description, "came back");
    EXPECT_EQ(events[0].time_ms, 3200);
    auto log = store.provision_events_after(0);
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].kind, kUserAdded);
    EXPECT_EQ(log[1].kind, kDeviceAdded);
    EXPECT_EQ(log[1].token, kTokenA);

    // The migrated tables take the new writes.
    EXPECT_EQ(store.create_device("old@b.c", 4, app_device(3, "New"), 10).id, 3);
    store.put_push_token("old@b.c", {1, "phone", "push", "android"});
    EXPECT_EQ(store.load_all()[1].push_tokens.size(), 1u);
    Database db(path_);
    Statement widgets(db, "SELECT widgets FROM dashboards WHERE id = 4", "test: read widgets");
    ASSERT_TRUE(widgets.step());
    EXPECT_EQ(widgets.column_text(0), "[]");
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

TEST_P(StoreFileTest, AddUserDuplicateIsRefused) {
    Store store(path_);
    model::User u = store.add_user("a@b.c", "h1", model::PasswordKind::App);
    EXPECT_EQ(u.email, "a@b.c");
    EXPECT_EQ(u.password_hash, "h1");
    EXPECT_GT(u.created_at_ms, 0);
    EXPECT_TRUE(u.dashboards.empty());
    EXPECT_EQ(error_of([&] { store.add_user("a@b.c", "h2", model::PasswordKind::App); }),
              "user a@b.c already exists");
    auto users = store.load_all();
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].password_hash, "h1");

    auto events = store.provision_events_after(0);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, kUserAdded);
    EXPECT_EQ(events[0].email, "a@b.c");
    EXPECT_EQ(store.last_provision_seq(), events[0].seq);
}

TEST_P(StoreFileTest, AddDeviceCreatesDashboardAndNumbersFromZero) {
    Store store(path_);
    EXPECT_EQ(error_of([&] { store.add_device("x@y.z", "n", "ESP32", std::nullopt, 10); }),
              "no user x@y.z; create it with: blynkd user add x@y.z");

    store.add_user("a@b.c", "", kNoPassword);
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
    store.add_user("b@b.c", "", kNoPassword);
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

TEST_P(StoreFileTest, DevicesLimitIsEnforcedPerDashboard) {
    Store store(path_);
    store.add_user("a@b.c", "", kNoPassword);
    store.add_device("a@b.c", "1", "ESP32", std::nullopt, 2);
    store.add_device("a@b.c", "2", "ESP32", std::nullopt, 2);
    EXPECT_EQ(error_of([&] { store.add_device("a@b.c", "3", "ESP32", std::nullopt, 2); }),
              "dashboard 1 of a@b.c already has 2 devices (limit 2)");
    EXPECT_EQ(store.list_devices(std::nullopt).size(), 2u);
    EXPECT_EQ(store.add_device("a@b.c", "3", "ESP32", 2, 2).device.id, 0);
    EXPECT_EQ(store.last_provision_seq(), 4);  // the refused add left no trace
}

TEST_P(StoreFileTest, DashboardsLimitIsEnforcedWhenADeviceNeedsANewDashboard) {
    Store store(path_);
    store.add_user("a@b.c", "", kNoPassword);
    store.add_device("a@b.c", "1", "ESP32", 3, 10, 1);
    EXPECT_EQ(error_of([&] { store.add_device("a@b.c", "2", "ESP32", 4, 10, 1); }),
              "a@b.c already has 1 dashboards (user.dashboard.max.limit)");
    // Existing dashboards still take devices; the refused add left no dashboard behind.
    EXPECT_EQ(store.add_device("a@b.c", "2", "ESP32", 3, 10, 1).device.id, 1);
    EXPECT_EQ(store.add_device("a@b.c", "3", "ESP32", std::nullopt, 10, 1).dash_id, 3);
    EXPECT_EQ(store.list_users().at(0).dashboards, 1u);
}

TEST_P(StoreFileTest, RefreshTokenReplacesOldToken) {
    Store store(path_);
    store.add_user("a@b.c", "", kNoPassword);
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

TEST_P(StoreFileTest, StoreLoadAllRoundTripsPinsWithNulBytesAndProperties) {
    const std::string multi("a\0b\0\0c", 6);
    std::string token;
    {
        Store store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
        store.write_batch({{"a@b.c", 1, 0, kV5, multi, 100}, {"a@b.c", 1, 0, kD13, "", 101}},
                          {{"a@b.c", 1, 0, 5, "label", std::string("x\0y", 3)},
                           {"a@b.c", 1, 0, 5, "color", "#ff0000"}},
                          {{"a@b.c", 1, 0, 12345, true}}, {});
    }
    Store store(path_);
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

TEST_P(StoreFileTest, WriteBatchSkipsRowsOfMissingDevicesAndKeepsTheRest) {
    Store store(path_);
    store.add_user("a@b.c", "", kNoPassword);
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

TEST_P(StoreFileTest, WriteBatchUpsertKeepsLastValue) {
    Store store(path_);
    store.add_user("a@b.c", "", kNoPassword);
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

TEST_P(StoreFileTest, WriteBatchSkipsUnknownDevices) {
    Store store(path_);
    store.add_user("a@b.c", "", kNoPassword);
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

TEST_P(StoreFileTest, DeviceEventsNewestFirstWithLimit) {
    Store store(path_);
    store.add_user("a@b.c", "", kNoPassword);
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

STORE_TEST_ON_BOTH_ENGINES(StoreFileTest);

}  // namespace
}  // namespace blynk::store
