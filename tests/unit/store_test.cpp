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

#include "common/util/clock.hpp"
#include "server/model/widget.hpp"
#include "server/store/migrations.hpp"
#include "server/store/sqlite_handle.hpp"
#include "server/store/sqlite_store.hpp"
#include "server/store/storage_worker.hpp"

namespace blynk::store {
namespace {

using namespace std::chrono_literals;
using model::PinKey;
using model::PinType;

constexpr auto kNoPassword = model::PasswordKind::None;
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

// A device as the app creates it.
model::Device app_device(int id, std::string name) {
    model::Device d;
    d.id = id;
    d.name = std::move(name);
    d.board_type = "ESP32";
    d.extra = R"({"vendor":"Espressif","connectionType":"WI_FI","iconName":"esp32"})";
    return d;
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
    EXPECT_EQ(latest_schema_version(), 2);
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
        store.add_user("a@b.c", "hash", model::PasswordKind::App);
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


constexpr const char* kTokenA = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
constexpr const char* kTokenB = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

// A data folder as the release with schema 1 left it: two users (one with a password made by
// the old CLI), two dashboards, two devices with pins, a property, events and provision log.
void write_schema_v1_database(const std::string& path) {
    Database db(path);
    db.exec("PRAGMA journal_mode=WAL", "test: WAL as the release used it");
    // Migration 1 is never edited: it is the schema releases before migration 2 wrote.
    db.exec(migrations()[0].sql, "test: schema 1");
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

TEST_F(StoreFileTest, StoreMigrationsSchemaOneFileKeepsEveryValueAndGetsDefaults) {
    write_schema_v1_database(path_);
    SqliteStore store(path_);
    {
        Database db(path_);
        EXPECT_EQ(schema_version(db), 2);
    }
    auto users = store.load_all();
    ASSERT_EQ(users.size(), 2u);
    const model::User& nopass = users[0];
    EXPECT_EQ(nopass.email, "nopass@b.c");
    EXPECT_EQ(nopass.password_hash, "");
    EXPECT_EQ(nopass.password_kind, model::PasswordKind::None);
    EXPECT_EQ(nopass.created_at_ms, 2000);
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

TEST(StoreSqlite, AddUserDuplicateIsRefused) {
    SqliteStore store(":memory:");
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

TEST(StoreSqlite, AddDeviceCreatesDashboardAndNumbersFromZero) {
    SqliteStore store(":memory:");
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

TEST(StoreSqlite, DevicesLimitIsEnforcedPerDashboard) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "", kNoPassword);
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
// The app's profile

model::Widget widget_from(const std::string& json) {
    std::string error;
    auto widget = model::parse_widget(json, error);
    EXPECT_TRUE(widget.has_value()) << error << ": " << json;
    return widget.value_or(model::Widget{});
}

// A dashboard with every field set, as the app would create it.
model::Dashboard full_dashboard(int id) {
    model::Dashboard d;
    d.id = id;
    d.name = "Greenhouse " + std::to_string(id);
    d.created_at_ms = 111;
    d.updated_at_ms = 222;
    d.active = true;
    d.app_connected_on = true;
    d.notifications_off = true;
    d.shared = true;
    d.share_token = "share-" + std::to_string(id);
    d.settings = R"({"theme":"Blynk","keepScreenOn":true,"color":-1})";
    return d;
}

TEST(StoreSqlite, PasswordKindsAndSetPassword) {
    SqliteStore store(":memory:");
    model::User u = store.add_user("app@b.c", "app-hash", model::PasswordKind::App);
    EXPECT_EQ(u.password_kind, model::PasswordKind::App);
    store.add_user("clear@b.c", "clear-hash", model::PasswordKind::Clear);
    store.add_user("none@b.c", "", kNoPassword);
    const int64_t seq = store.last_provision_seq();

    EXPECT_FALSE(store.set_password("nobody@b.c", "x", model::PasswordKind::App));
    EXPECT_EQ(store.last_provision_seq(), seq);  // nothing logged for a missing user
    EXPECT_TRUE(store.set_password("clear@b.c", "new-hash", model::PasswordKind::App));

    auto users = store.load_all();
    ASSERT_EQ(users.size(), 3u);
    EXPECT_EQ(users[0].email, "app@b.c");
    EXPECT_EQ(users[0].password_hash, "app-hash");
    EXPECT_EQ(users[0].password_kind, model::PasswordKind::App);
    EXPECT_EQ(users[1].email, "clear@b.c");
    EXPECT_EQ(users[1].password_hash, "new-hash");
    EXPECT_EQ(users[1].password_kind, model::PasswordKind::App);
    EXPECT_EQ(users[2].password_hash, "");
    EXPECT_EQ(users[2].password_kind, model::PasswordKind::None);

    auto events = store.provision_events_after(seq);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, kPasswordChanged);
    EXPECT_EQ(events[0].kind, "password_changed");
    EXPECT_EQ(events[0].email, "clear@b.c");
    EXPECT_EQ(events[0].token, "");
}

TEST(StoreSqlite, ListUsersCountsDashboardsAndDevicesByEmail) {
    SqliteStore store(":memory:");
    EXPECT_TRUE(store.list_users().empty());
    model::User zed = store.add_user("zed@b.c", "h", model::PasswordKind::Clear);
    store.add_user("amy@b.c", "", kNoPassword);
    store.add_device("zed@b.c", "1", "ESP32", std::nullopt, 10);
    store.add_device("zed@b.c", "2", "ESP32", std::nullopt, 10);
    store.add_device("zed@b.c", "3", "ESP32", 7, 10);
    store.create_dashboard("zed@b.c", full_dashboard(9), 10, 10);

    auto users = store.list_users();
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].email, "amy@b.c");
    EXPECT_EQ(users[0].password_kind, model::PasswordKind::None);
    EXPECT_EQ(users[0].dashboards, 0u);
    EXPECT_EQ(users[0].devices, 0u);
    EXPECT_EQ(users[1].email, "zed@b.c");
    EXPECT_EQ(users[1].password_kind, model::PasswordKind::Clear);
    EXPECT_EQ(users[1].created_at_ms, zed.created_at_ms);
    EXPECT_EQ(users[1].dashboards, 3u);
    EXPECT_EQ(users[1].devices, 3u);
}

TEST(StoreSqlite, AddDeviceGivesItsNewDashboardTimesAndDefaults) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "", kNoPassword);
    const int64_t before = util::now_ms();
    store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10);
    auto dash = store.load_all()[0].dashboards.at(0);
    EXPECT_EQ(dash.name, "My Project");
    EXPECT_GE(dash.created_at_ms, before);
    EXPECT_LE(dash.created_at_ms, util::now_ms());
    EXPECT_EQ(dash.updated_at_ms, dash.created_at_ms);
    EXPECT_FALSE(dash.active);
    EXPECT_EQ(dash.share_token, "");
    EXPECT_EQ(dash.settings, "{}");
    EXPECT_TRUE(dash.widgets.empty());
    EXPECT_EQ(dash.devices.at(0).extra, "{}");
}

TEST_F(StoreFileTest, StoreCreateDashboardStoresEveryFieldAndWidgetsRoundTrip) {
    // Fields in an order no sorting would give, an unknown type with unknown nested fields.
    const std::string button =
        R"({"type":"BUTTON","id":7,"x":0,"y":1,"color":600084223,"width":2,"height":2,)"
        R"("deviceId":1,"pinType":"VIRTUAL","pin":5,"pwmMode":false,"value":"1"})";
    const std::string gadget =
        R"({"id":8,"type":"FUTURE_GADGET","zeta":{"b":1,"a":[1,2.5,"x",null]},"alpha":null,)"
        R"("frequency":1000,"tzName":"Europe/Berlin","width":3,"height":1,)"
        R"("pins":[{"pinType":"DIGITAL","pin":13},{"pin":-1,"pinType":"VIRTUAL"}],)"
        R"("label":"h\u00e9llo \"q\"","big":12345678901234})";
    model::Dashboard dash = full_dashboard(3);
    dash.widgets = {widget_from(button), widget_from(gadget)};
    dash.devices = {app_device(1, "Pump"), app_device(4, "Fan")};

    int64_t created = 0;
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        const int64_t before = util::now_ms();
        model::Dashboard stored = store.create_dashboard("a@b.c", dash, 10, 10);
        ASSERT_EQ(stored.devices.size(), 2u);
        EXPECT_TRUE(is_token(stored.devices[0].token)) << stored.devices[0].token;
        EXPECT_TRUE(is_token(stored.devices[1].token)) << stored.devices[1].token;
        EXPECT_NE(stored.devices[0].token, stored.devices[1].token);
        EXPECT_GE(stored.devices[0].created_at_ms, before);
        EXPECT_LE(stored.devices[1].created_at_ms, util::now_ms());
        created = stored.devices[0].created_at_ms;
        dash.devices = stored.devices;

        auto events = store.provision_events_after(1);
        ASSERT_EQ(events.size(), 2u);
        EXPECT_EQ(events[0].kind, kDeviceAdded);
        EXPECT_EQ(events[0].dash_id, 3);
        EXPECT_EQ(events[0].device_id, 1);
        EXPECT_EQ(events[0].token, stored.devices[0].token);
        EXPECT_EQ(events[1].device_id, 4);
        EXPECT_EQ(events[1].token, stored.devices[1].token);
    }
    {
        Database db(path_);
        Statement st(db, "SELECT widgets FROM dashboards", "test: read widgets");
        ASSERT_TRUE(st.step());
        EXPECT_EQ(st.column_text(0), "[" + dash.widgets[0].json + "," + dash.widgets[1].json + "]");
    }
    SqliteStore store(path_);
    auto users = store.load_all();
    ASSERT_EQ(users.size(), 1u);
    ASSERT_EQ(users[0].dashboards.size(), 1u);
    const model::Dashboard& got = users[0].dashboards[0];
    EXPECT_EQ(got.id, 3);
    EXPECT_EQ(got.name, "Greenhouse 3");
    EXPECT_EQ(got.created_at_ms, 111);
    EXPECT_EQ(got.updated_at_ms, 222);
    EXPECT_TRUE(got.active);
    EXPECT_TRUE(got.app_connected_on);
    EXPECT_TRUE(got.notifications_off);
    EXPECT_TRUE(got.shared);
    EXPECT_EQ(got.share_token, "share-3");
    EXPECT_EQ(got.settings, R"({"theme":"Blynk","keepScreenOn":true,"color":-1})");

    ASSERT_EQ(got.widgets.size(), 2u);
    EXPECT_EQ(got.widgets[0].json, button);
    EXPECT_EQ(got.widgets[1].json, dash.widgets[1].json);
    EXPECT_EQ(got.widgets[1].json.find(R"({"id":8,"type":"FUTURE_GADGET","zeta":{"b":1,)"), 0u)
        << got.widgets[1].json;
    EXPECT_EQ(got.widgets[0].id, 7);
    EXPECT_EQ(got.widgets[0].type, "BUTTON");
    EXPECT_EQ(got.widgets[0].device_id, 1);
    EXPECT_EQ(got.widgets[0].pins, (std::vector<PinKey>{kV5}));
    EXPECT_EQ(got.widgets[0].width, 2);
    EXPECT_EQ(got.widgets[0].height, 2);
    EXPECT_EQ(got.widgets[0].frequency_ms, 0);
    EXPECT_EQ(got.widgets[1].id, 8);
    EXPECT_EQ(got.widgets[1].type, "FUTURE_GADGET");
    EXPECT_EQ(got.widgets[1].device_id, 0);
    EXPECT_EQ(got.widgets[1].pins, (std::vector<PinKey>{kD13}));
    EXPECT_EQ(got.widgets[1].width, 3);
    EXPECT_EQ(got.widgets[1].height, 1);
    EXPECT_EQ(got.widgets[1].frequency_ms, 1000);
    EXPECT_EQ(got.widgets[1].time_zone, "Europe/Berlin");

    ASSERT_EQ(got.devices.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(got.devices[i].id, dash.devices[i].id);
        EXPECT_EQ(got.devices[i].name, dash.devices[i].name);
        EXPECT_EQ(got.devices[i].board_type, "ESP32");
        EXPECT_EQ(got.devices[i].extra, app_device(0, "").extra);
        EXPECT_EQ(got.devices[i].token, dash.devices[i].token);
        EXPECT_EQ(got.devices[i].last_seen_ms, 0);
    }
    EXPECT_EQ(got.devices[0].created_at_ms, created);
    EXPECT_EQ(store.find_device_by_token(dash.devices[1].token)->device.name, "Fan");
}

TEST_F(StoreFileTest, StoreLoadAllSkipsStoredWidgetsThatDoNotParse) {
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "", kNoPassword);
        store.create_dashboard("a@b.c", full_dashboard(1), 10, 10);
        store.create_dashboard("a@b.c", full_dashboard(2), 10, 10);
    }
    {
        Database db(path_);
        db.exec(R"(UPDATE dashboards SET widgets = '[{"id":1,"type":"LED"},{"type":"NO_ID"},)"
                R"({"id":"x"},5,{"id":2}]' WHERE id = 1)",
                "test: widgets that do not parse");
        db.exec("UPDATE dashboards SET widgets = 'not json' WHERE id = 2",
                "test: widgets that are not an array");
    }
    SqliteStore store(path_);
    auto dashboards = store.load_all().at(0).dashboards;
    ASSERT_EQ(dashboards.size(), 2u);
    ASSERT_EQ(dashboards[0].widgets.size(), 2u);
    EXPECT_EQ(dashboards[0].widgets[0].json, R"({"id":1,"type":"LED"})");
    EXPECT_EQ(dashboards[0].widgets[1].json, R"({"id":2})");
    EXPECT_EQ(dashboards[0].widgets[1].type, "BUTTON");
    EXPECT_TRUE(dashboards[1].widgets.empty());
    EXPECT_EQ(dashboards[1].name, "Greenhouse 2");  // the rest of the dashboard is kept
}

TEST(StoreSqlite, CreateDashboardRefusalsWriteNothing) {
    SqliteStore store(":memory:");
    EXPECT_EQ(error_of([&] { store.create_dashboard("x@b.c", full_dashboard(1), 10, 10); }),
              "user x@b.c does not exist");
    store.add_user("a@b.c", "", kNoPassword);
    store.create_dashboard("a@b.c", full_dashboard(1), 2, 10);
    const int64_t seq = store.last_provision_seq();

    model::Dashboard again = full_dashboard(1);
    again.devices = {app_device(0, "D")};
    EXPECT_EQ(error_of([&] { store.create_dashboard("a@b.c", again, 10, 10); }),
              "dashboard 1 already exists");

    model::Dashboard crowded = full_dashboard(2);
    crowded.devices = {app_device(0, "A"), app_device(1, "B"), app_device(2, "C")};
    EXPECT_EQ(error_of([&] { store.create_dashboard("a@b.c", crowded, 10, 2); }),
              "dashboard 2 of a@b.c would have 3 devices (limit 2)");
    crowded.devices = {app_device(5, "A"), app_device(5, "B")};
    EXPECT_EQ(error_of([&] { store.create_dashboard("a@b.c", crowded, 10, 10); }),
              "device 5 appears twice in dashboard 2");

    store.create_dashboard("a@b.c", full_dashboard(2), 2, 10);
    EXPECT_EQ(error_of([&] { store.create_dashboard("a@b.c", full_dashboard(3), 2, 10); }),
              "a@b.c already has 2 dashboards (user.dashboard.max.limit)");

    EXPECT_EQ(store.last_provision_seq(), seq);
    EXPECT_TRUE(store.list_devices(std::nullopt).empty());
    auto dashboards = store.load_all()[0].dashboards;
    ASSERT_EQ(dashboards.size(), 2u);
    EXPECT_EQ(dashboards[0].id, 1);
    EXPECT_EQ(dashboards[1].id, 2);
}

TEST(StoreSqlite, SaveDashboardsUpdatesAllButDevicesAndSkipsMissing) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "", kNoPassword);
    store.add_user("other@b.c", "", kNoPassword);
    model::Dashboard first = full_dashboard(1);
    first.devices = {app_device(0, "Pump")};
    first = store.create_dashboard("a@b.c", first, 10, 10);
    store.create_dashboard("a@b.c", full_dashboard(2), 10, 10);
    store.create_dashboard("other@b.c", full_dashboard(1), 10, 10);
    const int64_t seq = store.last_provision_seq();

    model::Dashboard edited;
    edited.id = 1;
    edited.name = "Renamed";
    edited.created_at_ms = 999;  // not a saved field
    edited.updated_at_ms = 5000;
    edited.share_token = "";
    edited.settings = R"({"theme":"White"})";
    edited.widgets = {widget_from(R"({"id":3,"type":"LED","pinType":"DIGITAL","pin":13})")};
    edited.devices = {app_device(0, "Renamed device"), app_device(1, "Not stored")};
    model::Widget broken;
    broken.id = 4;  // json left empty: must not make the stored array unreadable
    edited.widgets.push_back(broken);
    model::Dashboard gone = full_dashboard(42);
    model::Dashboard second = full_dashboard(2);
    second.name = "Second";

    store.save_dashboards("a@b.c", {edited, gone, second});
    store.save_dashboards("a@b.c", {});

    auto users = store.load_all();
    auto dashboards = users[0].dashboards;
    ASSERT_EQ(dashboards.size(), 2u);
    const model::Dashboard& d1 = dashboards[0];
    EXPECT_EQ(d1.name, "Renamed");
    EXPECT_EQ(d1.created_at_ms, 111);
    EXPECT_EQ(d1.updated_at_ms, 5000);
    EXPECT_FALSE(d1.active);
    EXPECT_FALSE(d1.app_connected_on);
    EXPECT_FALSE(d1.notifications_off);
    EXPECT_FALSE(d1.shared);
    EXPECT_EQ(d1.share_token, "");
    EXPECT_EQ(d1.settings, R"({"theme":"White"})");
    ASSERT_EQ(d1.widgets.size(), 1u);
    EXPECT_EQ(d1.widgets[0].json, R"({"id":3,"type":"LED","pinType":"DIGITAL","pin":13})");
    ASSERT_EQ(d1.devices.size(), 1u);
    EXPECT_EQ(d1.devices[0].name, "Pump");
    EXPECT_EQ(d1.devices[0].token, first.devices[0].token);
    EXPECT_EQ(dashboards[1].name, "Second");
    EXPECT_EQ(users[1].dashboards.at(0).name, "Greenhouse 1");  // another user's dashboard 1
    EXPECT_EQ(store.last_provision_seq(), seq);
}

TEST_F(StoreFileTest, StoreDeleteDashboardCascadesAndReturnsTokens) {
    SqliteStore store(path_);
    store.add_user("a@b.c", "", kNoPassword);
    model::Dashboard doomed = full_dashboard(1);
    doomed.devices = {app_device(3, "C"), app_device(0, "A")};
    doomed = store.create_dashboard("a@b.c", doomed, 10, 10);
    model::Dashboard kept = full_dashboard(2);
    kept.devices = {app_device(0, "Kept")};
    kept = store.create_dashboard("a@b.c", kept, 10, 10);
    for (int dash : {1, 2}) {
        for (int device : {0, 3}) {
            store.write_batch({{"a@b.c", dash, device, kV5, "x", 1}},
                              {{"a@b.c", dash, device, 5, "label", "l"}}, {},
                              {{"a@b.c", dash, device, {"e", "", 1}}});
        }
        store.put_push_token("a@b.c", {dash, "phone", "t", "ios"});
    }
    const int64_t seq = store.last_provision_seq();

    auto tokens = store.delete_dashboard("a@b.c", 1);
    EXPECT_EQ(tokens, (std::vector<std::string>{doomed.devices[1].token, doomed.devices[0].token}));
    EXPECT_EQ(error_of([&] { store.delete_dashboard("a@b.c", 1); }), "dashboard 1 does not exist");

    auto events = store.provision_events_after(seq);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, kDeviceDeleted);
    EXPECT_EQ(events[0].kind, "device_deleted");
    EXPECT_EQ(events[0].dash_id, 1);
    EXPECT_EQ(events[0].device_id, 0);
    EXPECT_EQ(events[0].token, doomed.devices[1].token);
    EXPECT_EQ(events[1].device_id, 3);
    EXPECT_EQ(events[1].token, doomed.devices[0].token);

    Database db(path_);
    for (const char* table :
         {"devices", "pin_values", "pin_properties", "device_events", "push_tokens"}) {
        Statement st(db, std::string("SELECT COUNT(*), MIN(dash_id) FROM ") + table, table);
        ASSERT_TRUE(st.step());
        EXPECT_EQ(st.column_int(0), 1) << table;  // dashboard 2's row only
        EXPECT_EQ(st.column_int(1), 2) << table;
    }
    auto users = store.load_all();
    ASSERT_EQ(users[0].dashboards.size(), 1u);
    EXPECT_EQ(users[0].dashboards[0].devices.at(0).token, kept.devices[0].token);
    EXPECT_EQ(users[0].push_tokens.size(), 1u);
}

TEST(StoreSqlite, CreateUpdateDeleteDeviceById) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "", kNoPassword);
    EXPECT_EQ(error_of([&] { store.create_device("a@b.c", 1, app_device(0, "A"), 10); }),
              "dashboard 1 does not exist");
    store.create_dashboard("a@b.c", full_dashboard(1), 10, 10);
    const int64_t seq = store.last_provision_seq();

    model::Device made = store.create_device("a@b.c", 1, app_device(6, "Six"), 2);
    EXPECT_EQ(made.id, 6);
    EXPECT_EQ(made.name, "Six");
    EXPECT_TRUE(is_token(made.token)) << made.token;
    EXPECT_GT(made.created_at_ms, 0);
    EXPECT_EQ(error_of([&] { store.create_device("a@b.c", 1, app_device(6, "Again"), 10); }),
              "device 6 already exists in dashboard 1");
    model::Device second = store.create_device("a@b.c", 1, app_device(2, "Two"), 2);
    EXPECT_NE(second.token, made.token);
    EXPECT_EQ(error_of([&] { store.create_device("a@b.c", 1, app_device(9, "Nine"), 2); }),
              "dashboard 1 of a@b.c already has 2 devices (limit 2)");
    auto events = store.provision_events_after(seq);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, kDeviceAdded);
    EXPECT_EQ(events[0].device_id, 6);
    EXPECT_EQ(events[0].token, made.token);

    model::Device changed = made;
    changed.name = "Renamed";
    changed.board_type = "Arduino Uno";
    changed.extra = R"({"vendor":"Arduino"})";
    changed.token = "ignored";
    EXPECT_TRUE(store.update_device("a@b.c", 1, changed));
    changed.id = 7;
    EXPECT_FALSE(store.update_device("a@b.c", 1, changed));
    EXPECT_FALSE(store.update_device("a@b.c", 2, made));
    auto found = store.find_device_by_token(made.token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->device.id, 6);
    EXPECT_EQ(found->device.name, "Renamed");
    EXPECT_EQ(found->device.board_type, "Arduino Uno");
    EXPECT_EQ(found->device.extra, R"({"vendor":"Arduino"})");

    store.write_batch({{"a@b.c", 1, 6, kV5, "x", 1}}, {}, {}, {});
    const int64_t before_delete = store.last_provision_seq();
    EXPECT_EQ(store.delete_device("a@b.c", 1, 6), made.token);
    EXPECT_EQ(store.delete_device("a@b.c", 1, 6), std::nullopt);
    EXPECT_FALSE(store.find_device_by_token(made.token).has_value());
    auto deleted = store.provision_events_after(before_delete);
    ASSERT_EQ(deleted.size(), 1u);
    EXPECT_EQ(deleted[0].kind, kDeviceDeleted);
    EXPECT_EQ(deleted[0].device_id, 6);
    EXPECT_EQ(deleted[0].token, made.token);
    // Its pin value went with it: a device made again with the id starts empty.
    model::Device reborn = store.create_device("a@b.c", 1, app_device(6, "Six"), 10);
    EXPECT_TRUE(store.find_device_by_token(reborn.token)->device.pins.empty());
    EXPECT_NE(reborn.token, made.token);
}

TEST(StoreSqlite, RefreshDeviceTokenById) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "", kNoPassword);
    const std::string old_token = store.add_device("a@b.c", "K", "ESP32", 3, 10).device.token;
    const int64_t seq = store.last_provision_seq();
    EXPECT_EQ(store.refresh_device_token("a@b.c", 3, 1), std::nullopt);
    EXPECT_EQ(store.refresh_device_token("b@b.c", 3, 0), std::nullopt);
    EXPECT_EQ(store.last_provision_seq(), seq);

    auto fresh = store.refresh_device_token("a@b.c", 3, 0);
    ASSERT_TRUE(fresh.has_value());
    EXPECT_TRUE(is_token(*fresh));
    EXPECT_NE(*fresh, old_token);
    EXPECT_FALSE(store.find_device_by_token(old_token).has_value());
    EXPECT_EQ(store.find_device_by_token(*fresh)->device.name, "K");
    auto events = store.provision_events_after(seq);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, kTokenRefreshed);
    EXPECT_EQ(events[0].dash_id, 3);
    EXPECT_EQ(events[0].device_id, 0);
    EXPECT_EQ(events[0].token, *fresh);
    EXPECT_EQ(events[0].old_token, old_token);
}

TEST(StoreSqlite, PushTokensUpsertAndRemoveByInstallation) {
    SqliteStore store(":memory:");
    store.add_user("a@b.c", "", kNoPassword);
    store.add_user("b@b.c", "", kNoPassword);
    EXPECT_EQ(error_of([&] {
                  store.put_push_token("a@b.c", {1, "phone", "t", "android"});
              }),
              "dashboard 1 does not exist");
    for (const char* email : {"a@b.c", "b@b.c"}) {
        store.create_dashboard(email, full_dashboard(1), 10, 10);
        store.create_dashboard(email, full_dashboard(2), 10, 10);
    }
    store.put_push_token("a@b.c", {1, "phone", "old", "android"});
    store.put_push_token("a@b.c", {1, "phone", "new", "ios"});  // replaces
    store.put_push_token("a@b.c", {2, "phone", "p2", "android"});
    store.put_push_token("a@b.c", {1, "tablet", "t1", "android"});
    store.put_push_token("b@b.c", {1, "phone", "b1", "android"});

    auto tokens_of = [&](size_t user) { return store.load_all()[user].push_tokens; };
    auto a = tokens_of(0);
    ASSERT_EQ(a.size(), 3u);
    EXPECT_EQ(a[0].dash_id, 1);
    EXPECT_EQ(a[0].uid, "phone");
    EXPECT_EQ(a[0].token, "new");
    EXPECT_EQ(a[0].os, "ios");
    EXPECT_EQ(a[1].uid, "tablet");
    EXPECT_EQ(a[2].dash_id, 2);
    EXPECT_EQ(a[2].token, "p2");

    store.remove_push_tokens("a@b.c", "phone");
    a = tokens_of(0);
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].uid, "tablet");
    EXPECT_EQ(tokens_of(1).size(), 1u);  // b's phone is another installation's
    store.remove_push_tokens("a@b.c", "");
    EXPECT_TRUE(tokens_of(0).empty());
    ASSERT_EQ(tokens_of(1).size(), 1u);
    EXPECT_EQ(tokens_of(1)[0].token, "b1");
}

// ---------------------------------------------------------------------------------------------
// Batched writes

TEST_F(StoreFileTest, StoreLoadAllRoundTripsPinsWithNulBytesAndProperties) {
    const std::string multi("a\0b\0\0c", 6);
    std::string token;
    {
        SqliteStore store(path_);
        store.add_user("a@b.c", "", kNoPassword);
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

TEST(StoreSqlite, WriteBatchUpsertKeepsLastValue) {
    SqliteStore store(":memory:");
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

TEST(StoreSqlite, WriteBatchSkipsUnknownDevices) {
    SqliteStore store(":memory:");
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

TEST(StoreSqlite, DeviceEventsNewestFirstWithLimit) {
    SqliteStore store(":memory:");
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
        store.add_user("a@b.c", "", kNoPassword);
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

TEST_F(StoreFileTest, StoreWorkerPostedTaskRunsOnWorkerAndIsReported) {
    ProvisionSink sink;
    { SqliteStore store(path_); }
    StorageWorker worker(path_, std::chrono::hours(1), 0, sink.callback());
    std::promise<std::string> token;
    ASSERT_TRUE(worker.post([&](SqliteStore& store) {
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
    EXPECT_FALSE(worker.post([](SqliteStore&) {}));
}

TEST_F(StoreFileTest, StoreWorkerFlushesOnItsIntervalAndInsideTasks) {
    std::string token;
    {
        SqliteStore store(path_);
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
        store.add_user("a@b.c", "", kNoPassword);
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
