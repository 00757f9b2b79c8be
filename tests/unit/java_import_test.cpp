// The Java profile reader (server/java_import): the fixtures in tests/fixtures/java/data are
// files as the Java server writes them.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "server/java_import/java_profile.hpp"

namespace blynk::java_import {
namespace {

using model::PinKey;
using model::PinType;

std::string fixture(const std::string& name) {
    std::ifstream in(std::filesystem::path(BLYNKD_SOURCE_DIR) / "tests/fixtures/java/data" / name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

JavaUser parse(const std::string& text) {
    std::string error;
    auto user = parse_java_user(text, error);
    EXPECT_TRUE(user) << error;
    return user ? *user : JavaUser{};
}

const model::Device& device(const model::User& user, int dash_id, int device_id) {
    for (const auto& dash : user.dashboards) {
        for (const auto& d : dash.devices) {
            if (dash.id == dash_id && d.id == device_id) return d;
        }
    }
    static const model::Device none;
    ADD_FAILURE() << "no device " << dash_id << "-" << device_id;
    return none;
}

bool has_note(const JavaUser& user, const std::string& part) {
    return std::any_of(user.notes.begin(), user.notes.end(),
                       [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

PinKey V(uint8_t pin) {
    return PinKey{PinType::Virtual, pin};
}

TEST(JavaImport, NewLayoutProfileKeepsTokensWidgetsAndEveryPinValue) {
    const JavaUser alice = parse(fixture("alice@example.com.Blynk.user"));
    EXPECT_EQ(alice.user.email, "alice@example.com");
    EXPECT_EQ(alice.app_name, "Blynk");
    EXPECT_EQ(alice.app_password, "yYXGqp5Q9JisFb5P5ZGWf9EDng8GRi7ioFSS/wFtUSk=");
    EXPECT_FALSE(alice.user.admin);
    EXPECT_EQ(alice.user.created_at_ms, 1500000000000);  // the oldest dashboard
    ASSERT_EQ(alice.user.dashboards.size(), 2u);
    const model::Dashboard& greenhouse = alice.user.dashboards[0];
    EXPECT_EQ(greenhouse.name, "Greenhouse");
    EXPECT_EQ(greenhouse.share_token, "ShAr3dT0k3n-AbCdEfGhIjKlMnOpQrSt");
    EXPECT_TRUE(greenhouse.shared);
    EXPECT_TRUE(greenhouse.app_connected_on);
    ASSERT_EQ(greenhouse.widgets.size(), 6u);
    EXPECT_EQ(greenhouse.widgets[3].type, "DEVICE_TILES");
    EXPECT_NE(greenhouse.widgets[3].json.find("\"templateId\":9001"), std::string::npos);
    EXPECT_EQ(greenhouse.widgets[4].type, "HOLOGRAM_PROJECTOR");
    EXPECT_NE(greenhouse.widgets[4].json.find("\"beamColor\":\"#00ff00\""), std::string::npos);
    EXPECT_EQ(greenhouse.settings, R"({"parentId":-1,"isPreview":false,"theme":"Blynk",)"
                                   R"("keepScreenOn":false,"widgetBackgroundOn":false,)"
                                   R"("color":-1,"isDefaultColor":true})");

    const model::Device& esp = device(alice.user, 1, 0);
    EXPECT_EQ(esp.token, "Xk9PqR2sT4uV6wY8zA1bC3dE5fG7hJ0k");
    EXPECT_EQ(esp.board_type, "ESP32 Dev Board");
    EXPECT_EQ(esp.extra, R"({"vendor":"Espressif","connectionType":"WI_FI","iconName":"esp32",)"
                         R"("isUserIcon":false})");
    EXPECT_EQ(esp.pins.at(PinKey{PinType::Digital, 5}), "1");  // a widget's value
    EXPECT_EQ(esp.pins.at(V(1)), "23.5");
    EXPECT_EQ(esp.pins.at(V(7)), "hello");      // pinsStorage
    EXPECT_EQ(esp.pins.at(V(40)), "line two");  // a TERMINAL history: its newest line
    EXPECT_EQ(esp.pins.size(), 4u);
    EXPECT_EQ(esp.properties.at({8, "label"}), "Soil temperature");

    const model::Device& soil = device(alice.user, 1, 1);
    EXPECT_EQ(soil.token, "5f2b8c1d9e3a4b6c7d8e9f0a1b2c3d4e");  // an old hex token
    EXPECT_EQ(soil.pins.at(V(10)), "255");                      // "pins" of a multi-pin widget
    EXPECT_EQ(soil.pins.at(V(12)), "0");
    EXPECT_EQ(soil.pins.at(V(20)), "41");  // a Device Tiles tile
    EXPECT_EQ(device(alice.user, 2, 0).pins.at(V(3)), "42");
    EXPECT_EQ(device(alice.user, 2, 0).pins.at(V(9)), "9.5");
    EXPECT_TRUE(has_note(alice,
                         "pinsStorage entry \"1-5-v1\" left out: dashboard 1 has no "
                         "device 5"));

    const UserCounts counts = count(alice.user);
    EXPECT_EQ(counts.widgets, 7u);
    EXPECT_EQ(counts.devices, 3u);
    EXPECT_EQ(counts.pin_values, 10u);
    EXPECT_EQ(counts.share_tokens, 1u);
}

TEST(JavaImport, OldLayoutKeepsTheDashboardsOwnPinStorage) {
    const JavaUser bob = parse(fixture("bob@example.com.Blynk.user"));
    EXPECT_TRUE(bob.user.admin);
    EXPECT_TRUE(has_note(bob, "super admin"));
    const model::Device& tank = device(bob.user, 7, 0);
    EXPECT_EQ(tank.token, "b0b5d3v1c3t0k3n5f0r4qu4r1umtank0");
    EXPECT_EQ(tank.pins.at(V(2)), "255");
    EXPECT_EQ(tank.pins.at(V(4)), "24.8");
    EXPECT_EQ(tank.pins.at(PinKey{PinType::Analog, 3}), "512");
    EXPECT_EQ(tank.properties.at({5, "color"}), "#FF0000");
    EXPECT_TRUE(bob.user.dashboards[0].notifications_off);
}

TEST(JavaImport, WidgetValuesWinOverStoredOnesAndTheProfileOverTheDashboard) {
    const JavaUser user = parse(R"({"email":"X@Example.com","pass":"h","profile":{
        "dashBoards":[{"id":3,"name":"D","widgets":[{"type":"LED","id":1,"deviceId":0,
          "pinType":"VIRTUAL","pin":1,"value":"widget"}],"devices":[{"id":0,"name":"B",
          "boardType":"ESP32","token":"t"}],"pinsStorage":{"0-v1":"old","0-v2":"old","0-v3":"old"}}],
        "pinsStorage":{"3-0-v1":"new","3-0-v2":"new","4-0-v3":"other dash","3-0-x9":"bad"}}})");
    EXPECT_EQ(user.user.email, "x@example.com");
    const model::Device& board = device(user.user, 3, 0);
    EXPECT_EQ(board.pins.at(V(1)), "widget");
    EXPECT_EQ(board.pins.at(V(2)), "new");
    EXPECT_EQ(board.pins.at(V(3)), "old");
    EXPECT_TRUE(has_note(user, "\"3-0-x9\" left out"));
}

TEST(JavaImport, BadDashboardsAreLeftOutAndBadFilesRefused) {
    const JavaUser user = parse(R"({"name":"old@example.com","isFacebookUser":true,"profile":{
        "dashBoards":[{"id":1,"name":"A"},{"id":1,"name":"again"},{"name":"no id"}]}})");
    EXPECT_EQ(user.user.email, "old@example.com");  // the oldest files have only "name"
    EXPECT_EQ(user.user.dashboards.size(), 1u);
    EXPECT_TRUE(has_note(user, "dashboard 1 left out: its id repeats"));
    EXPECT_TRUE(has_note(user, "dashboard left out: dashboard has no integer \"id\""));
    EXPECT_TRUE(has_note(user, "Facebook"));

    std::string error;
    EXPECT_FALSE(parse_java_user(fixture("carol@example.com.Blynk.user"), error));
    EXPECT_EQ(error, "not valid JSON (cut short while the Java server wrote it?)");
    EXPECT_FALSE(parse_java_user("[1]", error));
    EXPECT_EQ(error, "not a JSON object");
    EXPECT_FALSE(parse_java_user(R"({"email":"nobody"})", error));
    EXPECT_EQ(error, "\"nobody\" is not an e-mail address");
    EXPECT_FALSE(parse_java_user(R"({"email":"a@b.co","profile":{"dashBoards":{}}})", error));
}

}  // namespace
}  // namespace blynk::java_import
