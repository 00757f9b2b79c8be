#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/model/profile_json.hpp"
#include "server/model/widget.hpp"

namespace blynk::model {
namespace {

using Json = nlohmann::ordered_json;

Dashboard parsed_dashboard(std::string_view text) {
    std::string error;
    std::optional<Dashboard> dash = parse_dashboard(text, error);
    EXPECT_TRUE(dash) << error << " in " << text;
    return dash.value_or(Dashboard{});
}

Device parsed_device(std::string_view text) {
    std::string error;
    std::optional<Device> device = parse_device(text, error);
    EXPECT_TRUE(device) << error << " in " << text;
    return device.value_or(Device{});
}

/// The error of a dashboard text that must be refused; the call itself must not throw.
std::string dashboard_refusal(std::string_view text) {
    std::string error;
    std::optional<Dashboard> dash;
    EXPECT_NO_THROW(dash = parse_dashboard(text, error)) << text;
    EXPECT_FALSE(dash) << text;
    EXPECT_FALSE(error.empty()) << text;
    return error;
}

std::string device_refusal(std::string_view text) {
    std::string error;
    std::optional<Device> device;
    EXPECT_NO_THROW(device = parse_device(text, error)) << text;
    EXPECT_FALSE(device) << text;
    EXPECT_FALSE(error.empty()) << text;
    return error;
}

/// A dashboard as the app sends it, with a widget type and fields this server does not know.
constexpr const char* kAppDashboard =
    R"({"id":1,"parentId":-1,"isPreview":false,"name":"Home","createdAt":1700000000000,)"
    R"("updatedAt":1700000001000,"widgets":[)"
    R"({"type":"BUTTON","id":10,"x":0,"y":0,"color":600084223,"width":2,"height":2,)"
    R"("tabId":0,"label":"Lamp","isDefaultColor":false,"deviceId":0,"pinType":"DIGITAL",)"
    R"("pin":13,"pwmMode":false,"rangeMappingOn":false,"min":0,"max":1,"pushMode":false},)"
    R"({"type":"HOLOGRAM","id":11,"deviceId":1,"pins":[{"pin":1,"pinType":"VIRTUAL"},)"
    R"({"pin":2,"pinType":"VIRTUAL","color":5}],"sparkle":{"level":3}}],)"
    R"("devices":[{"id":0,"name":"Kitchen","boardType":"ESP8266","vendor":"Espressif",)"
    R"("token":"should-be-dropped","status":"ONLINE","connectionType":"WI_FI",)"
    R"("iconName":"esp8266","isUserIcon":false,"hardwareInfo":{"version":"1"}},)"
    R"({"id":1,"name":"Garden","boardType":"ESP32","address":"garden.local"}],)"
    R"("theme":"Blynk","keepScreenOn":true,"isAppConnectedOn":true,)"
    R"("isNotificationsOff":false,"isShared":true,"isActive":true,)"
    R"("sharedToken":"secret","pinsStorage":{"1-0-v5":"7"},"widgetBackgroundOn":false,)"
    R"("color":-1,"isDefaultColor":true,"tags":[{"id":100000,"name":"all"}],"newField":[1]})";

TEST(ProfileJsonParseTest, DashboardFieldsGoToTheStructAndTheRestToSettingsInSentOrder) {
    const Dashboard dash = parsed_dashboard(kAppDashboard);
    EXPECT_EQ(dash.id, 1);
    EXPECT_EQ(dash.name, "Home");
    EXPECT_EQ(dash.created_at_ms, 1700000000000);
    EXPECT_EQ(dash.updated_at_ms, 1700000001000);
    EXPECT_TRUE(dash.active);
    EXPECT_TRUE(dash.app_connected_on);
    EXPECT_FALSE(dash.notifications_off);
    EXPECT_TRUE(dash.shared);
    EXPECT_EQ(dash.share_token, "");
    EXPECT_EQ(dash.settings,
              R"({"parentId":-1,"isPreview":false,"theme":"Blynk","keepScreenOn":true,)"
              R"("widgetBackgroundOn":false,"color":-1,"isDefaultColor":true,)"
              R"("tags":[{"id":100000,"name":"all"}],"newField":[1]})");
    ASSERT_EQ(dash.widgets.size(), 2u);
    EXPECT_EQ(dash.widgets[0].type, "BUTTON");
    EXPECT_EQ(dash.widgets[0].pins, (std::vector<PinKey>{{PinType::Digital, 13}}));
    EXPECT_EQ(dash.widgets[1].type, "HOLOGRAM");
    EXPECT_EQ(dash.widgets[1].device_id, 1);
    EXPECT_EQ(dash.widgets[1].json,
              R"({"type":"HOLOGRAM","id":11,"deviceId":1,"pins":[{"pin":1,"pinType":"VIRTUAL"},)"
              R"({"pin":2,"pinType":"VIRTUAL","color":5}],"sparkle":{"level":3}})");
    ASSERT_EQ(dash.devices.size(), 2u);
    EXPECT_EQ(dash.devices[0].name, "Kitchen");
    EXPECT_EQ(dash.devices[0].token, "");
    EXPECT_EQ(dash.devices[1].extra, R"({"address":"garden.local"})");
}

TEST(ProfileJsonParseTest, MinimalDashboardHasDefaults) {
    const Dashboard dash = parsed_dashboard(R"({"id":-3,"widgets":null})");
    EXPECT_EQ(dash.id, -3);
    EXPECT_EQ(dash.name, "");
    EXPECT_FALSE(dash.active);
    EXPECT_TRUE(dash.widgets.empty());
    EXPECT_TRUE(dash.devices.empty());
    EXPECT_EQ(dash.settings, "{}");
}

TEST(ProfileJsonParseTest, DashboardErrorsAreMessagesNotExceptions) {
    EXPECT_EQ(dashboard_refusal(""), "dashboard is not valid JSON");
    EXPECT_EQ(dashboard_refusal("{\"id\":1,"), "dashboard is not valid JSON");
    EXPECT_EQ(dashboard_refusal("{\"id\":1,\"name\":\"\xc3\x28\"}"), "dashboard is not valid JSON");
    EXPECT_EQ(dashboard_refusal("{\"id\":1,\"x\":" + std::string(5000, '[')),
              "dashboard is not valid JSON");
    EXPECT_EQ(dashboard_refusal("[]"), "dashboard is not a JSON object");
    EXPECT_EQ(dashboard_refusal("7"), "dashboard is not a JSON object");
    EXPECT_EQ(dashboard_refusal(R"({"name":"x"})"), "dashboard has no integer \"id\"");
    EXPECT_EQ(dashboard_refusal(R"({"id":"1"})"), "dashboard has no integer \"id\"");
    EXPECT_EQ(dashboard_refusal(R"({"id":2147483648})"), "dashboard has no integer \"id\"");
    EXPECT_EQ(dashboard_refusal(R"({"id":1,"name":5})"),
              "dashboard field \"name\" has the wrong type");
    EXPECT_EQ(dashboard_refusal(R"({"id":1,"isActive":"yes"})"),
              "dashboard field \"isActive\" has the wrong type");
    EXPECT_EQ(dashboard_refusal(R"({"id":1,"createdAt":"today"})"),
              "dashboard field \"createdAt\" has the wrong type");
    EXPECT_EQ(dashboard_refusal(R"({"id":1,"updatedAt":1.5})"),
              "dashboard field \"updatedAt\" has the wrong type");
    EXPECT_EQ(dashboard_refusal(R"({"id":1,"widgets":{}})"),
              "dashboard field \"widgets\" is not an array");
    EXPECT_EQ(dashboard_refusal(R"({"id":1,"devices":"none"})"),
              "dashboard field \"devices\" is not an array");
    EXPECT_EQ(
        dashboard_refusal(
            R"({"id":1,"widgets":[{"id":8},{"id":9,"pin":"x","pinType":"VIRTUAL"}]})"),
        "widgets[1] (id 9): widget field \"pin/pinType\" has the wrong type or is out of range");
    EXPECT_EQ(dashboard_refusal(R"({"id":1,"widgets":[{"id":8},5]})"),
              "widgets[1]: widget is not a JSON object");
    EXPECT_EQ(dashboard_refusal(R"({"id":1,"devices":[{"id":4,"name":"x"}]})"),
              "devices[0] (id 4): device has no boardType");
}

TEST(ProfileJsonParseTest, DeviceKeepsAppFieldsInExtraAndIgnoresServerOwnedOnes) {
    const Device device = parsed_device(
        R"({"id":2,"name":"Kitchen","boardType":"ESP8266","vendor":"Espressif","token":"t0k",)"
        R"("status":"ONLINE","disconnectTime":5,"connectTime":6,"firstConnectTime":7,)"
        R"("dataReceivedAt":8,"lastLoggedIP":"10.0.0.1","hardwareInfo":{"version":"0.6.1"},)"
        R"("deviceOtaInfo":{"otaStartedBy":"x"},"connectionType":"WI_FI","iconName":"esp",)"
        R"("isUserIcon":false,"address":"a","future":{"x":[1]}})");
    EXPECT_EQ(device.id, 2);
    EXPECT_EQ(device.name, "Kitchen");
    EXPECT_EQ(device.board_type, "ESP8266");
    EXPECT_EQ(device.token, "");
    EXPECT_FALSE(device.online);
    EXPECT_EQ(device.extra, R"({"vendor":"Espressif","connectionType":"WI_FI","iconName":"esp",)"
                            R"("isUserIcon":false,"address":"a","future":{"x":[1]}})");
    EXPECT_EQ(parsed_device(R"({"id":0,"boardType":"Generic Board"})").extra, "{}");
}

TEST(ProfileJsonParseTest, DeviceNameIsAtMostFiftyCharactersNotBytes) {
    const std::string fifty(50, 'n');
    EXPECT_EQ(parsed_device(R"({"id":1,"boardType":"ESP32","name":")" + fifty + "\"}").name, fifty);
    EXPECT_EQ(device_refusal(R"({"id":1,"boardType":"ESP32","name":")" + fifty + "n\"}"),
              "device name longer than 50 characters");
    std::string accented;
    for (int i = 0; i < 50; ++i)
        accented += "é";  // 100 bytes, 50 characters
    EXPECT_EQ(parsed_device(R"({"id":1,"boardType":"ESP32","name":")" + accented + "\"}").name,
              accented);
    EXPECT_EQ(device_refusal(R"({"id":1,"boardType":"ESP32","name":")" + accented + "é\"}"),
              "device name longer than 50 characters");
}

TEST(ProfileJsonParseTest, DeviceErrorsAreMessagesNotExceptions) {
    EXPECT_EQ(device_refusal("{"), "device is not valid JSON");
    EXPECT_EQ(device_refusal("{\"id\":1,\"boardType\":\"\xff\"}"), "device is not valid JSON");
    EXPECT_EQ(device_refusal("\"device\""), "device is not a JSON object");
    EXPECT_EQ(device_refusal(R"({"boardType":"ESP32"})"), "device has no integer \"id\"");
    EXPECT_EQ(device_refusal(R"({"id":null,"boardType":"ESP32"})"), "device has no integer \"id\"");
    EXPECT_EQ(device_refusal(R"({"id":1})"), "device has no boardType");
    EXPECT_EQ(device_refusal(R"({"id":1,"boardType":""})"), "device has no boardType");
    EXPECT_EQ(device_refusal(R"({"id":1,"boardType":null})"), "device has no boardType");
    EXPECT_EQ(device_refusal(R"({"id":1,"boardType":32})"),
              "device field \"boardType\" has the wrong type");
    EXPECT_EQ(device_refusal(R"({"id":1,"boardType":"ESP32","name":["x"]})"),
              "device field \"name\" has the wrong type");
}

TEST(ProfileJsonParseTest, ProjectSettingsUpdateFlagsAndMergeSettings) {
    Dashboard dash = parsed_dashboard(
        R"({"id":1,"name":"Old","theme":"Blynk","keepScreenOn":false,"tags":[],"isActive":true})");
    std::string error;
    ASSERT_TRUE(apply_project_settings(
        R"({"name":"New","isShared":true,"theme":"BlynkLight","color":-1,"id":99,)"
        R"("widgetBackgroundOn":true,"isNotificationsOff":true,"isAppConnectedOn":null,)"
        R"("unknown":1,"widgets":[]})",
        dash, error))
        << error;
    EXPECT_EQ(dash.id, 1);
    EXPECT_EQ(dash.name, "New");
    EXPECT_TRUE(dash.shared);
    EXPECT_TRUE(dash.notifications_off);
    EXPECT_FALSE(dash.app_connected_on);
    EXPECT_TRUE(dash.active);
    EXPECT_EQ(dash.settings,
              R"({"theme":"BlynkLight","keepScreenOn":false,"tags":[],"widgetBackgroundOn":true,)"
              R"("color":-1})");
}

TEST(ProfileJsonParseTest, ProjectSettingsWithAWrongTypeChangeNothing) {
    Dashboard dash = parsed_dashboard(R"({"id":1,"name":"Old","theme":"Blynk"})");
    const auto refused = [&](std::string_view text) {
        std::string error;
        bool applied = true;
        EXPECT_NO_THROW(applied = apply_project_settings(text, dash, error));
        EXPECT_FALSE(applied) << text;
        EXPECT_EQ(dash.name, "Old");
        EXPECT_FALSE(dash.shared);
        EXPECT_EQ(dash.settings, R"({"theme":"Blynk"})");
        return error;
    };
    EXPECT_EQ(refused(R"({"name":"New","isShared":true,"theme":5})"),
              "project settings field \"theme\" has the wrong type");
    EXPECT_EQ(refused(R"({"name":"New","color":"red"})"),
              "project settings field \"color\" has the wrong type");
    EXPECT_EQ(refused(R"({"name":"New","isShared":"on"})"),
              "project settings field \"isShared\" has the wrong type");
    EXPECT_EQ(refused("[]"), "project settings are not a JSON object");
    EXPECT_EQ(refused("{\"name\":\"\xff\"}"), "project settings are not a JSON object");
}

// ---- writing ----

Device device_with(int id, std::string name, std::string board) {
    Device device;
    device.id = id;
    device.name = std::move(name);
    device.board_type = std::move(board);
    return device;
}

TEST(ProfileJsonWriteTest, DeviceHasStatusTimesHardwareInfoAndExtraFields) {
    Device device = device_with(0, "Kitchen", "ESP8266");
    device.token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
    device.extra = R"({"vendor":"Espressif","connectionType":"WI_FI","isUserIcon":false})";
    HardwareInfo info;
    info.version = "1.3.2";
    info.firmware = "0.1.0";
    info.board = "ESP8266";
    info.cpu = "ESP8266";
    info.connection = "WiFi";
    info.build = "Jan  1 2024";
    info.template_id = "TMPL1";
    info.heartbeat = 45;
    info.buff_in = 1024;
    const DeviceView view{&device, DeviceStatus{true, 1000, 0, 2000, &info}};
    EXPECT_EQ(device_json(view),
              R"({"id":0,"name":"Kitchen","boardType":"ESP8266",)"
              R"("token":"AbCdEfGhIjKlMnOpQrStUvWxYz012345","vendor":"Espressif",)"
              R"("connectionType":"WI_FI","isUserIcon":false,"status":"ONLINE",)"
              R"("connectTime":1000,"dataReceivedAt":2000,"hardwareInfo":{"version":"0.1.0",)"
              R"("blynkVersion":"1.3.2","boardType":"ESP8266","cpuType":"ESP8266",)"
              R"("connectionType":"WiFi","build":"Jan  1 2024","templateId":"TMPL1",)"
              R"("heartbeatInterval":45,"buffIn":1024}})");
}

TEST(ProfileJsonWriteTest, OfflineDeviceLeavesOutZerosAndEmptyHardwareInfo) {
    Device device = device_with(3, "Q\"uote", "ESP32");
    HardwareInfo blank;
    EXPECT_EQ(
        device_json(DeviceView{&device, DeviceStatus{false, 0, 99, 0, &blank}}),
        R"({"id":3,"name":"Q\"uote","boardType":"ESP32","status":"OFFLINE","disconnectTime":99})");
    HardwareInfo only_version;
    only_version.version = "0.6.1";
    EXPECT_EQ(device_json(DeviceView{&device, DeviceStatus{false, 0, 0, 0, &only_version}}),
              R"({"id":3,"name":"Q\"uote","boardType":"ESP32","status":"OFFLINE",)"
              R"("hardwareInfo":{"blynkVersion":"0.6.1"}})");
    const std::vector<DeviceView> views = {DeviceView{&device, {}}, DeviceView{&device, {}}};
    const std::string one = R"({"id":3,"name":"Q\"uote","boardType":"ESP32","status":"OFFLINE"})";
    EXPECT_EQ(devices_json(views), "[" + one + "," + one + "]");
    EXPECT_EQ(devices_json({}), "[]");
}

TEST(ProfileJsonWriteTest, WidgetsShowTheCurrentValueOfTheirPinOnTheirDevice) {
    Dashboard dash = parsed_dashboard(
        R"({"id":1,"widgets":[)"
        R"({"id":1,"type":"GAUGE","deviceId":0,"pinType":"VIRTUAL","pin":5,"value":"old","x":1},)"
        R"({"id":2,"type":"GAUGE","deviceId":1,"pinType":"VIRTUAL","pin":5},)"
        R"({"id":3,"type":"ENHANCED_GRAPH","deviceId":0,"pins":[{"pinType":"VIRTUAL","pin":6},)"
        R"({"pinType":"VIRTUAL","pin":7,"value":"kept"},{"pinType":"DIGITAL","pin":-1}]},)"
        R"({"id":4,"type":"LABELED_VALUE_DISPLAY","deviceId":0,"pinType":"VIRTUAL","pin":9}]})");
    Device kitchen = device_with(0, "Kitchen", "ESP8266");
    kitchen.pins[{PinType::Virtual, 5}] = "42";
    kitchen.pins[{PinType::Virtual, 6}] = std::string("a\0b", 3);  // a multi-value
    Device garden = device_with(1, "Garden", "ESP32");
    garden.pins[{PinType::Virtual, 5}] = "17\xff";  // any bytes
    const DashboardView view{&dash, {DeviceView{&kitchen, {}}, DeviceView{&garden, {}}}};

    EXPECT_EQ(
        widget_json(dash.widgets[0], view),
        R"({"id":1,"type":"GAUGE","deviceId":0,"pinType":"VIRTUAL","pin":5,"value":"42","x":1})");
    EXPECT_EQ(widget_json(dash.widgets[1], view),
              "{\"id\":2,\"type\":\"GAUGE\",\"deviceId\":1,\"pinType\":\"VIRTUAL\",\"pin\":5,"
              "\"value\":\"17\xEF\xBF\xBD\"}");
    EXPECT_EQ(
        widget_json(dash.widgets[2], view),
        R"({"id":3,"type":"ENHANCED_GRAPH","deviceId":0,"pins":[{"pinType":"VIRTUAL","pin":6,)"
        R"("value":"a\u0000b"},{"pinType":"VIRTUAL","pin":7,"value":"kept"},)"
        R"({"pinType":"DIGITAL","pin":-1}]})");
    // No stored value: the stored JSON as it is.
    EXPECT_EQ(widget_json(dash.widgets[3], view), dash.widgets[3].json);
    // A device not in the view: as stored too.
    const DashboardView without_devices{&dash, {}};
    EXPECT_EQ(widget_json(dash.widgets[0], without_devices), dash.widgets[0].json);
}

TEST(ProfileJsonWriteTest, ValuesAreSplicedIntoStoredTextWithSpacesAndTrickyStrings) {
    // Stored text not made by parse_widget: spaces, and strings holding braces, quotes and keys.
    Widget widget;
    widget.id = 1;
    widget.pins = {{PinType::Virtual, 5}, {PinType::Virtual, 6}};
    widget.json =
        R"( { "label" : "a}\"{ \"value\":[" , "pin" : 5 , "pinType" : "VIRTUAL" ,)"
        R"( "pins" : [ 7 , { "pinType" : "VIRTUAL" , "pin" : 6 , "value" : { "old" : [1] } } ,)"
        R"( { "pin" : 5 } ] } )";
    Device device = device_with(0, "D", "ESP32");
    device.pins[{PinType::Virtual, 5}] = "five";
    device.pins[{PinType::Virtual, 6}] = "six";
    Dashboard dash;
    const DashboardView view{&dash, {DeviceView{&device, {}}}};
    const std::string written = widget_json(widget, view);
    EXPECT_EQ(written,
              R"( { "label" : "a}\"{ \"value\":[" , "pin" : 5 , "pinType" : "VIRTUAL" ,)"
              R"( "pins" : [ 7 , { "pinType" : "VIRTUAL" , "pin" : 6 , "value" : "six" } ,)"
              R"( { "pin" : 5 } ] ,"value":"five"} )");
    EXPECT_EQ(Json::parse(written)["label"], "a}\"{ \"value\":[");
    // Text that is not a well-formed object is copied unchanged, never made worse.
    widget.json = R"({"pin":5,"pinType":"VIRTUAL","label":"cut)";
    EXPECT_EQ(widget_json(widget, view), widget.json);
    widget.json = R"({"pin":5,"pinType":"VIRTUAL","pins":[{"pin":6,"pinType":"VIRTUAL"}})";
    EXPECT_EQ(widget_json(widget, view), widget.json);
}

TEST(ProfileJsonWriteTest, DashboardTextLeavesOutFalseFlagsAndZeroTimes) {
    Dashboard dash;
    dash.id = 4;
    EXPECT_EQ(dashboard_json(DashboardView{&dash, {}}),
              R"({"id":4,"name":"","widgets":[],"devices":[]})");
    dash.name = "Home";
    dash.created_at_ms = 5;
    dash.active = true;
    dash.shared = true;
    dash.share_token = "not-written";
    dash.settings = R"({"theme":"Blynk","keepScreenOn":true})";
    Widget widget;
    widget.id = 8;
    widget.type = "LED";
    widget.json = R"({"id":8,"type":"LED"})";
    dash.widgets.push_back(widget);
    Device device = device_with(0, "D", "ESP32");
    EXPECT_EQ(dashboard_json(DashboardView{&dash, {DeviceView{&device, {}}}}),
              R"({"id":4,"name":"Home","createdAt":5,"theme":"Blynk","keepScreenOn":true,)"
              R"("isActive":true,"isShared":true,"widgets":[{"id":8,"type":"LED"}],)"
              R"("devices":[{"id":0,"name":"D","boardType":"ESP32","status":"OFFLINE"}]})");
}

TEST(ProfileJsonWriteTest, ParseWriteParseKeepsEveryField) {
    const Dashboard first = parsed_dashboard(kAppDashboard);
    std::vector<DeviceView> devices;
    for (const Device& device : first.devices)
        devices.push_back(DeviceView{&device, {}});
    const std::string written = dashboard_json(DashboardView{&first, devices});
    const Dashboard second = parsed_dashboard(written);
    EXPECT_EQ(second.id, first.id);
    EXPECT_EQ(second.name, first.name);
    EXPECT_EQ(second.created_at_ms, first.created_at_ms);
    EXPECT_EQ(second.updated_at_ms, first.updated_at_ms);
    EXPECT_EQ(second.active, first.active);
    EXPECT_EQ(second.app_connected_on, first.app_connected_on);
    EXPECT_EQ(second.notifications_off, first.notifications_off);
    EXPECT_EQ(second.shared, first.shared);
    EXPECT_EQ(second.settings, first.settings);
    ASSERT_EQ(second.widgets.size(), first.widgets.size());
    for (size_t i = 0; i < first.widgets.size(); ++i) {
        EXPECT_EQ(second.widgets[i].json, first.widgets[i].json);
        EXPECT_EQ(second.widgets[i].pins, first.widgets[i].pins);
    }
    ASSERT_EQ(second.devices.size(), first.devices.size());
    for (size_t i = 0; i < first.devices.size(); ++i) {
        EXPECT_EQ(second.devices[i].id, first.devices[i].id);
        EXPECT_EQ(second.devices[i].name, first.devices[i].name);
        EXPECT_EQ(second.devices[i].board_type, first.devices[i].board_type);
        EXPECT_EQ(second.devices[i].extra, first.devices[i].extra);
    }
    // What the server owns was not carried over from the app's text.
    EXPECT_EQ(written.find("secret"), std::string::npos);
    EXPECT_EQ(written.find("should-be-dropped"), std::string::npos);
    EXPECT_EQ(written.find("1-0-v5"), std::string::npos);
}

TEST(ProfileJsonWriteTest, ProfileKeepsValuesNoWidgetShowsInPinsStorage) {
    Dashboard home =
        parsed_dashboard(R"({"id":1,"widgets":[{"id":1,"deviceId":0,"pinType":"VIRTUAL","pin":5},)"
                         R"({"id":2,"deviceId":1,"pins":[{"pinType":"DIGITAL","pin":2}]}]})");
    Device kitchen = device_with(0, "K", "ESP32");
    kitchen.pins[{PinType::Virtual, 5}] = "shown";
    kitchen.pins[{PinType::Virtual, 10}] = "v10";
    kitchen.pins[{PinType::Digital, 2}] = "d2 of device 0";  // the widget on d2 is device 1's
    kitchen.pins[{PinType::Analog, 0}] = std::string("x\0y", 3);
    kitchen.properties[{5, "label"}] = "shown pin";
    kitchen.properties[{6, "color"}] = "#FF0000";
    Device garden = device_with(1, "G", "ESP32");
    garden.pins[{PinType::Digital, 2}] = "shown too";
    Dashboard office;
    office.id = 2;
    Device desk = device_with(0, "Desk", "ESP32");
    desk.pins[{PinType::Virtual, 1}] = "1";
    const std::vector<DashboardView> views = {
        DashboardView{&home, {DeviceView{&kitchen, {}}, DeviceView{&garden, {}}}},
        DashboardView{&office, {DeviceView{&desk, {}}}}};

    const Json profile = Json::parse(profile_json(views));
    ASSERT_EQ(profile["dashBoards"].size(), 2u);
    EXPECT_EQ(profile["dashBoards"][0]["widgets"][0]["value"], "shown");
    EXPECT_EQ(profile["dashBoards"][0]["widgets"][1]["pins"][0]["value"], "shown too");
    EXPECT_EQ(profile["pinsStorage"].dump(),
              R"({"1-0-a0":"x\u0000y","1-0-d2":"d2 of device 0","1-0-v10":"v10",)"
              R"("1-0-v6-color":"#FF0000","2-0-v1":"1"})");
    EXPECT_EQ(profile.dump().substr(0, 15), R"({"dashBoards":[)");
}

TEST(ProfileJsonWriteTest, ProfileWithoutStrayValuesHasNoPinsStorage) {
    Dashboard dash =
        parsed_dashboard(R"({"id":1,"widgets":[{"id":1,"pinType":"VIRTUAL","pin":5}]})");
    Device device = device_with(0, "D", "ESP32");
    device.pins[{PinType::Virtual, 5}] = "9";
    const std::vector<DashboardView> views = {DashboardView{&dash, {DeviceView{&device, {}}}}};
    EXPECT_EQ(profile_json(views),
              R"({"dashBoards":[{"id":1,"name":"","widgets":[{"id":1,"pinType":"VIRTUAL","pin":5,)"
              R"("value":"9"}],"devices":[{"id":0,"name":"D","boardType":"ESP32",)"
              R"("status":"OFFLINE"}]}]})");
    EXPECT_EQ(profile_json({}), R"({"dashBoards":[]})");
}

// Serialising a big dashboard is meant to stay well under a millisecond (Release); this test only
// checks that the 50 widgets come out whole with their values, and is there to be profiled.
TEST(ProfileJsonWriteTest, FiftyWidgetDashboardComesOutWithEveryValue) {
    Dashboard dash;
    dash.id = 1;
    dash.name = "Big";
    Device device = device_with(0, "D", "ESP32");
    std::string error;
    for (int i = 0; i < 50; ++i) {
        const std::string text =
            R"({"type":"GAUGE","id":)" + std::to_string(i) +
            R"(,"x":0,"y":0,"color":600084223,"width":2,"height":2,"tabId":0,"label":"Gauge )" +
            std::to_string(i) +
            R"(","isDefaultColor":false,"deviceId":0,"pinType":"VIRTUAL","pin":)" +
            std::to_string(i) +
            R"(,"pwmMode":false,"rangeMappingOn":false,"min":0,"max":100,)"
            R"("frequency":1000,"valueFormatting":"/pin.##/"})";
        std::optional<Widget> widget = parse_widget(text, error);
        ASSERT_TRUE(widget) << error;
        dash.widgets.push_back(std::move(*widget));
        device.pins[{PinType::Virtual, static_cast<uint8_t>(i)}] = std::to_string(i * 2);
    }
    const Json written =
        Json::parse(dashboard_json(DashboardView{&dash, {DeviceView{&device, {}}}}));
    ASSERT_EQ(written["widgets"].size(), 50u);
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(written["widgets"][i]["value"], std::to_string(i * 2));
        EXPECT_EQ(written["widgets"][i]["label"], "Gauge " + std::to_string(i));
    }
}

}  // namespace
}  // namespace blynk::model
