// Notifications and the event log against the real binary: hardware and REST notify answered as
// the Java server answered (body, inactive dashboard, no widget, every channel off, the rate
// limit), the web console's pages receiving PUSH_NOTIFICATION and EVENT_LOG over /dashws while the
// mobile app does not, and the REST event list.

#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/child_process.hpp"
#include "tests/support/console_fixture.hpp"
#include "tests/support/ws_client.hpp"

namespace blynk::test {
namespace {

std::string web_frame(uint8_t command, uint16_t id, std::string_view body) {
    return frame(command, id, body, proto::Layout::WebApp);
}
std::string web_response(uint16_t id, uint32_t status) {
    return response(id, status, proto::Layout::WebApp);
}

const std::string kNotificationWidget = R"({"type":"NOTIFICATION","id":200,"width":2,"height":1})";

/// Dashboard 7 with device 1 ("Pump") made over the app protocol; `notify_interval` seconds
/// between a device's notifications.
class NotifyTest : public ConsoleApiTest {
protected:
    virtual std::string notify_interval() const { return "60"; }
    std::map<std::string, std::string> settings() const override {
        return {{"storage.flush.interval.ms", "100"},
                {"notifications.frequency.user.quota.limit", notify_interval()}};
    }

    void SetUp() override {
        ConsoleApiTest::SetUp();
        app_ = logged_in_app();
        app_->send(cmd::kCreateDash, 2, kDashboard);
        ASSERT_TRUE(app_->expect_response(2, status::kOk));
        token_ = create_device(*app_, 1, 3).value("token", "");
        ASSERT_EQ(token_.size(), 32u);
    }
    void activate() {
        app_->send(cmd::kActivateDashboard, 4, "7");
        // 200, or 7 while the board is offline; HARDWARE_CONNECTED may come first.
        for (auto f = app_->read_frame(); f; f = app_->read_frame()) {
            if (f->command == cmd::kResponse && f->id == 4) return;
        }
        ADD_FAILURE() << "ACTIVATE_DASHBOARD was not answered";
    }
    void add_widget(const std::string& widget, uint16_t id) {
        app_->send(cmd::kCreateWidget, id, body({"7", widget}));
        ASSERT_TRUE(app_->expect_response(id, status::kOk));
    }
    HttpResponse rest(const std::string& method, const std::string& target,
                      const std::string& body = "") {
        return http_call(server_->port(), method, target, body,
                         body.empty() ? "" : "application/json");
    }
    HttpResponse rest_notify(const std::string& token, const std::string& text) {
        return rest("POST", "/" + token + "/notify", json{{"body", text}}.dump());
    }

    std::unique_ptr<AppClient> app_;
    std::string token_;
};

TEST_F(NotifyTest, HardwareNotifyIsAnsweredAsJavaDid) {
    auto hw = board(token_);
    hw->send_frame(cmd::kPushNotification, 1, "");
    EXPECT_TRUE(hw->expect_response(1, status::kNotificationInvalidBody));
    hw->send_frame(cmd::kPushNotification, 2, std::string(256, 'x'));
    EXPECT_TRUE(hw->expect_response(2, status::kNotificationInvalidBody));
    hw->send_frame(cmd::kPushNotification, 3, "hello");
    EXPECT_TRUE(hw->expect_response(3, status::kNoActiveDashboard));
    activate();
    hw->send_frame(cmd::kPushNotification, 4, "hello");
    EXPECT_TRUE(hw->expect_response(4, status::kNotificationNotAuthorized)) << "no widget";
    add_widget(R"({"type":"NOTIFICATION","id":200,"width":2,"height":1,"webConsole":false})", 5);
    hw->send_frame(cmd::kPushNotification, 5, "hello");
    EXPECT_TRUE(hw->expect_response(5, status::kNotificationNotAuthorized)) << "every channel off";
    app_->send(cmd::kUpdateWidget, 6, body({"7", kNotificationWidget}));
    ASSERT_TRUE(app_->expect_response(6, status::kOk));

    // 255 characters of two bytes each: Java counted characters, not bytes.
    std::string accents;
    for (int i = 0; i < 255; ++i)
        accents += "\xC3\xA9";
    hw->send_frame(cmd::kPushNotification, 7, accents);
    EXPECT_TRUE(hw->expect_response(7, status::kOk));
    // One per device per interval (60 s here), for REST with the same token too.
    hw->send_frame(cmd::kPushNotification, 8, "again");
    EXPECT_TRUE(hw->expect_response(8, status::kQuotaLimit));
    HttpResponse limited = rest_notify(token_, "again");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.body, "Notification limit reached.");
    EXPECT_EQ(limited.header("retry-after"), "60");
    // Another device has its own window.
    const std::string other = create_device(*app_, 2, 9).value("token", "");
    EXPECT_EQ(rest_notify(other, "from the other one").status, 200);
    EXPECT_TRUE(server_->wait_for_log("to 0 console page(s)"));
}

TEST_F(NotifyTest, RestNotifyAnswersJavasTexts) {
    auto r = rest_notify(token_, "");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, "Body is empty or larger than 255 chars.");
    EXPECT_EQ(rest_notify(token_, std::string(256, 'x')).body,
              "Body is empty or larger than 255 chars.");
    EXPECT_EQ(rest_notify(token_, "hi").body, "Project is not active.");
    activate();
    EXPECT_EQ(rest_notify(token_, "hi").body, "No notification widget.");
    add_widget(R"({"type":"NOTIFICATION","id":200,"width":2,"height":1,"webConsole":false})", 5);
    r = rest_notify(token_, "hi");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, "Notification widget not initialized.");
    EXPECT_EQ(rest("POST", "/" + std::string(32, 'x') + "/notify", R"({"body":"hi"})").body,
              "Invalid token.");
    app_->send(cmd::kUpdateWidget, 6, body({"7", kNotificationWidget}));
    ASSERT_TRUE(app_->expect_response(6, status::kOk));
    r = rest_notify(token_, "hi");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "");
}

class NotifyConsoleTest : public NotifyTest {
protected:
    std::string notify_interval() const override { return "0"; }
};

TEST_F(NotifyConsoleTest, ConsolePagesGetNotificationsAndEventsLive) {
    activate();
    add_widget(kNotificationWidget, 5);
    auto hw = board(token_);
    // The app hears of the board; nothing else reaches it from here on.
    ASSERT_TRUE(app_->expect_frame(cmd::kHardwareConnected, 1, "7-1"));
    HttpResponse in = sign_in(kEmail, kPassword);
    ASSERT_EQ(in.status, 200) << in.body;
    WsClient page(server_->tls_port(), dashws(cookie_of(in)));
    page.send(web_frame(cmd::kLogin, 1, body({kEmail, "session"})));
    ASSERT_TRUE(page.expect_message(web_response(1, status::kOk)));

    hw->send_frame(cmd::kPushNotification, 2, "{DEVICE_NAME}: tank full");
    EXPECT_TRUE(hw->expect_response(2, status::kOk));
    EXPECT_TRUE(page.expect_message(
        web_frame(cmd::kPushNotification, 0, body({"7-1", "Pump: tank full"}))));
    EXPECT_EQ(rest_notify(token_, "from REST").status, 200);
    EXPECT_TRUE(
        page.expect_message(web_frame(cmd::kPushNotification, 0, body({"7-1", "from REST"}))));

    hw->send_frame(cmd::kEventLog, 3, body({"door", "front door opened"}));
    EXPECT_TRUE(page.expect_message(
        web_frame(cmd::kEventLog, 0, body({"7-1", "door", "front door opened"}))));
    hw->send_frame(cmd::kEventLog, 4, "alarm");
    EXPECT_TRUE(page.expect_message(web_frame(cmd::kEventLog, 0, body({"7-1", "alarm", ""}))));
    EXPECT_TRUE(app_->raw().expect_silence()) << "the mobile app never got these from Java";

    // The widget's "notifyWhenOffline": the board's last connection closing is notified.
    app_->send(cmd::kUpdateWidget, 7,
               body({"7", R"({"type":"NOTIFICATION","id":200,"width":2,"height":1,)"
                          R"("notifyWhenOffline":true})"}));
    ASSERT_TRUE(app_->expect_response(7, status::kOk));
    hw.reset();
    EXPECT_TRUE(page.expect_message(web_frame(cmd::kDeviceOffline, 0, "7-1")));
    EXPECT_TRUE(page.expect_message(
        web_frame(cmd::kPushNotification, 0, body({"7-1", "Your Pump went offline."}))));
}

TEST_F(NotifyConsoleTest, RestListsTheDeviceEventsNewestFirst) {
    auto hw = board(token_);
    hw->send_frame(cmd::kEventLog, 1, body({"door", "front"}));
    hw->send_frame(cmd::kEventLog, 2, "alarm");
    hw->send_frame(cmd::kPing, 3);
    ASSERT_TRUE(hw->expect_response(3, status::kOk));

    // Stored with the next flush (100 ms here).
    json events;
    for (int i = 0; i < 50 && events.size() < 2; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        HttpResponse r = rest("GET", "/" + token_ + "/events");
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.header("content-type"), "application/json;charset=utf-8");
        events = json::parse(r.body, nullptr, false);
    }
    ASSERT_EQ(events.size(), 2u) << events.dump();
    EXPECT_EQ(events[0]["name"], "alarm");
    EXPECT_EQ(events[0]["description"], "");
    EXPECT_EQ(events[1]["name"], "door");
    EXPECT_EQ(events[1]["description"], "front");
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    EXPECT_NEAR(static_cast<double>(events[1]["time_ms"].get<int64_t>()), static_cast<double>(now),
                60'000.0);

    HttpResponse one = rest("GET", "/" + token_ + "/events?limit=1");
    EXPECT_EQ(json::parse(one.body, nullptr, false), json::array({events[0]}));
    for (const char* bad : {"0", "1001", "abc", "1&limit=2", "-1"}) {
        HttpResponse r = rest("GET", "/" + token_ + "/events?limit=" + bad);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(r.body, "Wrong limit: expected a whole number from 1 to 1000.") << bad;
    }
    EXPECT_EQ(rest("GET", "/" + std::string(32, 'x') + "/events").body, "Invalid token.");
    // Another device of the same user has its own log.
    EXPECT_EQ(rest("GET", "/" + cli_token_ + "/events").body, "[]");
}

/// The widget's webhook channel against a real HTTP server run by the test (the outbound
/// helper's tests/support/http_echo_server.py).
class NotifyWebhookTest : public NotifyConsoleTest {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("blynkd-notify-hook-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        http_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"/usr/bin/python3",
                                     BLYNKD_SOURCE_DIR "/tests/support/http_echo_server.py",
                                     dir_.string()},
            dir_ / "http.log");
        ASSERT_NE(http_->port(), 0) << http_->output();
        NotifyConsoleTest::SetUp();
    }
    void TearDown() override {
        NotifyConsoleTest::TearDown();
        http_.reset();
        std::error_code ec;
        if (!HasFailure()) std::filesystem::remove_all(dir_, ec);
    }
    /// The first request the HTTP server saw, waiting up to 5 s.
    json first_request() {
        const auto path = dir_ / "request-1.json";
        for (int i = 0; i < 100 && !std::filesystem::exists(path); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::ifstream in(path);
        return in ? json::parse(in, nullptr, false) : json();
    }

    std::filesystem::path dir_;
    std::unique_ptr<ChildProcess> http_;
};

TEST_F(NotifyWebhookTest, TheWebhookChannelPostsTheNotificationAsJson) {
    activate();
    const std::string url = "http://127.0.0.1:" + std::to_string(http_->port()) + "/alert";
    add_widget(json{{"type", "NOTIFICATION"},
                    {"id", 200},
                    {"width", 2},
                    {"height", 1},
                    {"webConsole", false},
                    {"webhookUrl", url}}
                   .dump(),
               5);
    auto hw = board(token_);
    hw->send_frame(cmd::kPushNotification, 2, "{DEVICE_NAME}: tank full");
    EXPECT_TRUE(hw->expect_response(2, status::kOk));

    const json request = first_request();
    ASSERT_TRUE(request.is_object()) << http_->output();
    EXPECT_EQ(request["method"], "POST");
    EXPECT_EQ(request["path"], "/alert");
    EXPECT_EQ(request["headers"].value("Content-Type", ""), "application/json");
    const json hook = json::parse(request["body"].get<std::string>(), nullptr, false);
    EXPECT_EQ(hook["title"], "Pump");
    EXPECT_EQ(hook["message"], "Pump: tank full");
    EXPECT_EQ(hook["text"], "Pump: Pump: tank full");
    EXPECT_EQ(hook["dashId"], 7);
    EXPECT_EQ(hook["deviceId"], 1);
    EXPECT_TRUE(server_->wait_for_log("webhook queued"));
}

}  // namespace
}  // namespace blynk::test
