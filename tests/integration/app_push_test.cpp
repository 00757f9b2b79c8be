// What the server sends on its own once apps and widgets exist: pin modes, acon/adis, the
// reading-widget poller, rtc in the RTC widget's zone, hardware properties landing in widgets, and
// a slow app that is cut off without slowing the board (server-surface.md §3.3, issue 9 item 5).

#include <ctime>

#include "tests/support/app_fixture.hpp"
#include "tests/support/http_client.hpp"

namespace blynk::test {
namespace {

struct HardwareFrame {
    uint8_t command = 0;
    uint16_t id = 0;
    std::string body;
};

/// The next 5-byte-header frame from a board's connection (a RESPONSE's status in `id`'s place
/// is not needed here: responses come back with an empty body).
std::optional<HardwareFrame> read_hw_frame(RawClient& c) {
    const std::string header = c.read_bytes(5, 3s);
    if (header.size() < 5) return std::nullopt;
    auto byte = [&](size_t i) { return static_cast<uint8_t>(header[i]); };
    HardwareFrame f{byte(0), static_cast<uint16_t>(byte(1) << 8 | byte(2)), {}};
    if (f.command != cmd::kResponse) f.body = c.read_bytes(byte(3) << 8 | byte(4), 3s);
    return f;
}

/// Reads frames until one with `command` arrives; nullopt when none does within a few frames.
std::optional<HardwareFrame> read_until_command(RawClient& c, uint8_t command) {
    for (int i = 0; i < 10; ++i) {
        auto f = read_hw_frame(c);
        if (!f) return std::nullopt;
        if (f->command == command) return f;
    }
    return std::nullopt;
}

const std::string kWidgets = R"({"id":1,"name":"My Project","isAppConnectedOn":true,"widgets":[
    {"type":"BUTTON","id":1,"width":2,"height":2,"pinType":"DIGITAL","pin":2},
    {"type":"LED","id":2,"width":1,"height":1,"pinType":"DIGITAL","pin":3},
    {"type":"DIGIT4_DISPLAY","id":3,"width":2,"height":1,"pinType":"VIRTUAL","pin":5,
     "frequency":1000},
    {"type":"RTC","id":4,"width":2,"height":1,"tzName":"Asia/Kolkata"}]})";

TEST_F(AppTest, BoardsHearOfPinModesAppsAndTheirReadingWidgets) {
    auto a = logged_in_app();
    a->send(cmd::kUpdateDash, 2, kWidgets);
    ASSERT_TRUE(a->expect_response(2, status::kOk));
    a->send(cmd::kActivateDashboard, 3, "1");
    EXPECT_TRUE(a->expect_response(3, status::kDeviceNotInNetwork)) << "the board is offline";

    // Login: 200, then the pin modes of the dashboard's digital widgets (virtual pins never).
    auto hw = std::make_unique<RawClient>(server_->port());
    hw->send_frame(cmd::kHardwareLogin, 1, cli_token_);
    EXPECT_TRUE(hw->expect(response(1, status::kOk) +
                           frame(cmd::kHardware, 1, body({"pm", "2", "out", "3", "in"}))));

    // The reading widget polls V5 every second with id 7778 while an app is online.
    auto poll = read_until_command(*hw, cmd::kHardware);
    ASSERT_TRUE(poll);
    EXPECT_EQ(poll->id, 7778);
    EXPECT_EQ(poll->body, body({"vr", "5"}));

    // rtc: the local time of the RTC widget's zone (Asia/Kolkata, UTC+5:30), as epoch seconds.
    hw->send_frame(cmd::kInternal, 4, "rtc");
    auto rtc = read_until_command(*hw, cmd::kInternal);
    ASSERT_TRUE(rtc);
    ASSERT_EQ(rtc->body.substr(0, 4), std::string("rtc\0", 4));
    const long long expected = static_cast<long long>(std::time(nullptr)) + 19800;
    EXPECT_NEAR(std::stoll(rtc->body.substr(4)), expected, 5);

    // Another app logs in: acon; when the last app leaves: adis (isAppConnectedOn is set).
    auto second = logged_in_app();
    auto acon = read_until_command(*hw, cmd::kInternal);
    ASSERT_TRUE(acon);
    EXPECT_EQ(acon->body, "acon");
    EXPECT_EQ(acon->id, 7777);
    second.reset();
    a.reset();
    auto adis = read_until_command(*hw, cmd::kInternal);
    ASSERT_TRUE(adis);
    EXPECT_EQ(adis->body, "adis");
}

TEST_F(AppTest, PropertiesFromTheBoardLandInTheWidget) {
    auto a = logged_in_app();
    a->send(cmd::kUpdateDash, 2, kWidgets);
    ASSERT_TRUE(a->expect_response(2, status::kOk));
    auto hw = std::make_unique<RawClient>(server_->port());
    hw->login(cli_token_);
    EXPECT_TRUE(a->expect_frame(cmd::kHardwareConnected, 1, "1-0"));
    hw->send_frame(cmd::kSetWidgetProperty, 5, body({"5", "label", "Tank"}));
    EXPECT_TRUE(hw->expect_response(5, status::kOk));
    json p = json::parse(a->request(cmd::kLoadProfileGzipped, 3), nullptr, false);
    ASSERT_TRUE(p.is_object());
    EXPECT_EQ(p["dashBoards"][0]["widgets"][2]["label"], "Tank");
    EXPECT_FALSE(p.contains("pinsStorage")) << "taken by the widget, not kept per pin";
}

TEST_F(AppTest, RestSeesAppsAndItsWritesReachThem) {
    auto rest = [&](const std::string& target) {
        return http_call(server_->port(), "GET", "/" + cli_token_ + target).body;
    };
    EXPECT_EQ(rest("/isAppConnected"), "false");
    auto a = logged_in_app();
    EXPECT_EQ(rest("/isAppConnected"), "true");
    a->send(cmd::kActivateDashboard, 2, "1");
    EXPECT_TRUE(a->expect_response(2, status::kDeviceNotInNetwork));
    EXPECT_EQ(rest("/update/V8?value=hi"), "");
    EXPECT_TRUE(a->expect_frame(cmd::kHardware, 111, body({"1-0", "vw", "8", "hi"})));
    EXPECT_EQ(rest("/update/V8?label=Hello"), "");
    EXPECT_TRUE(
        a->expect_frame(cmd::kSetWidgetProperty, 111, body({"1-0", "8", "label", "Hello"})));
}

class SlowAppTest : public AppTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"user.message.quota.limit", "1000000"}};
    }
};

TEST_F(SlowAppTest, AnAppThatNeverReadsIsClosedAndTheBoardGoesOn) {
    auto hw = std::make_unique<RawClient>(server_->port());
    hw->login(cli_token_);
    std::string writes;
    for (int pin = 0; pin < 64; ++pin)
        writes +=
            frame(cmd::kHardware, 2, body({"vw", std::to_string(pin), std::string(900, 'x')}));
    hw->send(writes);
    auto hog = logged_in_app();
    // Every APP_SYNC is answered with 64 values of ~910 bytes: 2000 of them are ~120 MB.
    try {
        for (int i = 0; i < 2000; ++i)
            hog->send(cmd::kAppSync, 3, "1");
    } catch (const std::exception&) {
        // closed by the server: that is the point
    }
    EXPECT_TRUE(server_->wait_for_log("peer reads too slowly", 10s));
    EXPECT_TRUE(server_->wait_for_log("disconnect: app tcp"));
    hw->send_frame(cmd::kPing, 9);
    EXPECT_TRUE(hw->expect_response(9, status::kOk)) << "the board is not slowed";
    EXPECT_EQ(logged_in_app()->login(kEmail, kPassword, 2), status::kUserAlreadyRegistered)
        << "other app sessions of the user work";
}

}  // namespace
}  // namespace blynk::test
