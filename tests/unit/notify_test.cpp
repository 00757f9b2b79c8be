// hub::ops::notify with a recording Outbound: the e-mail and webhook channels of the
// Notification widget get the text after the checks, and the answers follow Java's order.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/proto/status.hpp"
#include "server/hub/automation.hpp"
#include "server/hub/hub.hpp"
#include "server/hub/notify.hpp"
#include "tests/unit/recording_persistence.hpp"

namespace blynk::hub {
namespace {

using nlohmann::json;

class RecordingOutbound final : public Outbound {
public:
    Accepted send_mail(const std::string& email, MailMessage mail) override {
        senders.push_back(email);
        mails.push_back(std::move(mail));
        return answer;
    }
    Accepted send_http(const std::string& email, HttpCall call,
                       std::function<void(HttpAnswer)> done) override {
        senders.push_back(email);
        calls.push_back(std::move(call));
        done(HttpAnswer{500, "", ""});  // a failing hook is only logged
        return answer;
    }
    Accepted answer = Accepted::Queued;
    std::vector<std::string> senders;
    std::vector<MailMessage> mails;
    std::vector<HttpCall> calls;
};

model::User user_with_widget(std::string widget_json, std::string device_name) {
    model::User u;
    u.email = "n@example.com";
    model::Dashboard dash;
    dash.id = 4;
    dash.active = true;
    model::Widget widget;
    widget.id = 1;
    widget.type = "NOTIFICATION";
    widget.json = std::move(widget_json);
    dash.widgets.push_back(widget);
    model::Device device;
    device.id = 2;
    device.name = std::move(device_name);
    device.token = "tank-token";
    dash.devices.push_back(device);
    u.dashboards.push_back(dash);
    return u;
}

class NotifyChannelsTest : public ::testing::Test {
protected:
    UserState& load(std::string widget_json, std::string device_name = "Tank") {
        hub_.load({user_with_widget(std::move(widget_json), std::move(device_name))});
        return *hub_.find_token("tank-token")->user;
    }
    boost::asio::io_context io_;
    RecordingPersistence persistence_;
    RecordingOutbound outbound_;
    Hub hub_{io_, persistence_, outbound_};
    const DeviceRef tank_{4, 2};
};

TEST_F(NotifyChannelsTest, MailAndWebhookGetTheTextWithTheDeviceName) {
    UserState& user = load(R"({"id":1,"type":"NOTIFICATION","emailTo":"me@example.com",)"
                           R"("webhookUrl":"http://127.0.0.1:9/hook"})");
    EXPECT_EQ(ops::notify(user, tank_, "{DEVICE_NAME} is full"), proto::status::kOk);

    ASSERT_EQ(outbound_.mails.size(), 1u);
    EXPECT_EQ(outbound_.mails[0].to, "me@example.com");
    EXPECT_EQ(outbound_.mails[0].subject, "Tank: notification");
    EXPECT_EQ(outbound_.mails[0].body, "Tank is full");
    EXPECT_FALSE(outbound_.mails[0].html);

    ASSERT_EQ(outbound_.calls.size(), 1u);
    const HttpCall& call = outbound_.calls[0];
    EXPECT_EQ(call.method, "POST");
    EXPECT_EQ(call.url, "http://127.0.0.1:9/hook");
    EXPECT_EQ(
        call.headers,
        (std::vector<std::pair<std::string, std::string>>{{"Content-Type", "application/json"}}));
    json hook = json::parse(call.body);
    EXPECT_EQ(hook["title"], "Tank");
    EXPECT_EQ(hook["message"], "Tank is full");
    EXPECT_EQ(hook["text"], "Tank: Tank is full");
    EXPECT_EQ(hook["device"], "Tank");
    EXPECT_EQ(hook["dashId"], 4);
    EXPECT_EQ(hook["deviceId"], 2);
    EXPECT_TRUE(hook["time_ms"].is_number_integer());
    EXPECT_EQ(outbound_.senders, (std::vector<std::string>{"n@example.com", "n@example.com"}))
        << "the user's limits apply";
}

TEST_F(NotifyChannelsTest, NothingLeavesWhenACheckFails) {
    UserState& user = load(R"({"id":1,"emailTo":"me@example.com","webConsole":false})");
    EXPECT_EQ(ops::notify(user, tank_, ""), proto::status::kNotificationInvalidBody);
    EXPECT_EQ(ops::notify(user, tank_, std::string(256, 'x')),
              proto::status::kNotificationInvalidBody);
    EXPECT_EQ(ops::notify(user, DeviceRef{4, 9}, "x"), proto::status::kNotificationNotAuthorized);
    EXPECT_TRUE(outbound_.mails.empty());
    EXPECT_EQ(ops::notify(user, tank_, "x"), proto::status::kOk);
    EXPECT_EQ(ops::notify(user, tank_, "x"), proto::status::kQuotaLimit) << "within 5 s";
    EXPECT_EQ(outbound_.mails.size(), 1u);
}

TEST_F(NotifyChannelsTest, TheDeviceNameCanMakeTheTextTooLong) {
    hub_.notify_settings().interval = std::chrono::milliseconds(0);
    UserState& user = load(R"({"id":1,"emailTo":"me@example.com"})", std::string(30, 'n'));
    // 242 + 13 = 255 characters as sent; with the 30-character name 272: refused (Java checked
    // the text before and after the placeholder).
    EXPECT_EQ(ops::notify(user, tank_, std::string(242, 'x') + "{DEVICE_NAME}"),
              proto::status::kNotificationInvalidBody);
    EXPECT_EQ(ops::notify(user, tank_, std::string(225, 'x') + "{DEVICE_NAME}"),
              proto::status::kOk);
    ASSERT_EQ(outbound_.mails.size(), 1u);
    EXPECT_EQ(outbound_.mails[0].body, std::string(225, 'x') + std::string(30, 'n'));
}

TEST_F(NotifyChannelsTest, AnOutboundRefusalStillAnswers200AsJavaDidWithoutPushKeys) {
    outbound_.answer = Accepted::NotConfigured;
    UserState& user = load(R"({"id":1,"emailTo":"me@example.com"})");
    EXPECT_EQ(ops::notify(user, tank_, "x"), proto::status::kOk);
}

/// A Notification widget, a Mail widget and an Eventor rule that notifies and mails over 10.
model::User user_with_eventor() {
    model::User u = user_with_widget(
        R"({"id":1,"type":"NOTIFICATION","emailTo":"alerts@example.com","webConsole":false})",
        "Tank");
    model::Widget mail;
    mail.id = 2;
    mail.type = "EMAIL";
    mail.json = R"({"id":2,"type":"EMAIL","to":"owner@example.com"})";
    model::Widget eventor;
    eventor.id = 3;
    eventor.type = "EVENTOR";
    eventor.device_id = 2;
    eventor.json = R"({"id":3,"type":"EVENTOR","deviceId":2,"rules":[{"isActive":true,
        "triggerPin":{"pinType":"VIRTUAL","pin":1},"condition":{"type":"GT","value":10},
        "actions":[{"type":"NOTIFY","message":"{DEVICE_NAME} at /pin/"},
                   {"type":"MAIL","subject":"Level","message":"now /pin/ litres"}]}]})";
    u.dashboards[0].widgets.push_back(mail);
    u.dashboards[0].widgets.push_back(eventor);
    return u;
}

TEST_F(NotifyChannelsTest, EventorRulesNotifyAndMailWithTheTriggerValue) {
    hub_.load({user_with_eventor()});
    UserState& user = *hub_.find_token("tank-token")->user;
    const model::PinKey v1{model::PinType::Virtual, 1};
    ops::run_pin_rules(user, tank_, v1, "7");
    EXPECT_TRUE(outbound_.mails.empty()) << "below the threshold";
    ops::run_pin_rules(user, tank_, v1, "12.5");
    ASSERT_EQ(outbound_.mails.size(), 2u);
    EXPECT_EQ(outbound_.mails[0].to, "alerts@example.com") << "the notify went to its channel";
    EXPECT_EQ(outbound_.mails[0].body, "Tank at 12.5");
    EXPECT_EQ(outbound_.mails[1].to, "owner@example.com") << "the Mail widget's receiver";
    EXPECT_EQ(outbound_.mails[1].subject, "Level");
    EXPECT_EQ(outbound_.mails[1].body, "now 12.5 litres");
    ops::run_pin_rules(user, tank_, v1, "13");
    EXPECT_EQ(outbound_.mails.size(), 2u) << "fired on the way into the condition only";
}

}  // namespace
}  // namespace blynk::hub
