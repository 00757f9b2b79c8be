// The store's app-profile methods on both engines (SQLite, PostgreSQL): the user list, dashboards
// with their widgets, devices by id, push tokens. Accounts: store_accounts_test.cpp.

#include "common/util/clock.hpp"
#include "server/model/widget.hpp"
#include "server/store/sql_handle.hpp"
#include "tests/unit/store_test_support.hpp"

namespace blynk::store {
namespace {

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

TEST_P(StoreFileTest, ListUsersCountsDashboardsAndDevicesByEmail) {
    Store store(path_);
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

TEST_P(StoreFileTest, AddDeviceGivesItsNewDashboardTimesAndDefaults) {
    Store store(path_);
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

TEST_P(StoreFileTest, StoreCreateDashboardStoresEveryFieldAndWidgetsRoundTrip) {
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
        Store store(path_);
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
    Store store(path_);
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

TEST_P(StoreFileTest, StoreLoadAllSkipsStoredWidgetsThatDoNotParse) {
    {
        Store store(path_);
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
    Store store(path_);
    auto dashboards = store.load_all().at(0).dashboards;
    ASSERT_EQ(dashboards.size(), 2u);
    ASSERT_EQ(dashboards[0].widgets.size(), 2u);
    EXPECT_EQ(dashboards[0].widgets[0].json, R"({"id":1,"type":"LED"})");
    EXPECT_EQ(dashboards[0].widgets[1].json, R"({"id":2})");
    EXPECT_EQ(dashboards[0].widgets[1].type, "BUTTON");
    EXPECT_TRUE(dashboards[1].widgets.empty());
    EXPECT_EQ(dashboards[1].name, "Greenhouse 2");  // the rest of the dashboard is kept
}

TEST_P(StoreFileTest, CreateDashboardRefusalsWriteNothing) {
    Store store(path_);
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

TEST_P(StoreFileTest, SaveDashboardsUpdatesAllButDevicesAndSkipsMissing) {
    Store store(path_);
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

TEST_P(StoreFileTest, StoreDeleteDashboardCascadesAndReturnsTokens) {
    Store store(path_);
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

TEST_P(StoreFileTest, CreateUpdateDeleteDeviceById) {
    Store store(path_);
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

TEST_P(StoreFileTest, RefreshDeviceTokenById) {
    Store store(path_);
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

TEST_P(StoreFileTest, PushTokensUpsertAndRemoveByInstallation) {
    Store store(path_);
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

}  // namespace
}  // namespace blynk::store
