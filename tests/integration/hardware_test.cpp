#include <regex>

#include "server/store/store.hpp"
#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

using HardwareTest = ServerTest;

TEST_F(HardwareTest, PingGets200WithItsId) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kPing, 0x1234);
    EXPECT_TRUE(c->expect(std::string("\x00\x12\x34\x00\xc8", 5)));
}

TEST_F(HardwareTest, WriteIsSilentAndSyncReturnsItWithTheRequestId) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kHardware, 2, body({"vw", "5", "hello"}));
    EXPECT_TRUE(c->expect_silence());
    c->send_frame(cmd::kHardwareSync, 3, body({"vr", "5"}));
    EXPECT_TRUE(
        c->expect(std::string("\x14\x00\x03\x00\x0a"
                              "vw\x00"
                              "5\x00"
                              "hello",
                              15)));
}

TEST_F(HardwareTest, MultiValueWritesKeepEveryField) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kHardware, 2, body({"vw", "1", "1.5", "x", "y"}));
    c->send_frame(cmd::kHardwareSync, 3, body({"vr", "1"}));
    EXPECT_TRUE(c->expect_frame(cmd::kHardware, 3, body({"vw", "1", "1.5", "x", "y"})));
}

TEST_F(HardwareTest, SyncAllReturnsEveryStoredValueAndNothingWhenEmpty) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kHardwareSync, 2);
    EXPECT_TRUE(c->expect_silence());
    c->send_frame(cmd::kHardware, 3, body({"vw", "7", "seven"}));
    c->send_frame(cmd::kHardware, 4, body({"dw", "13", "1"}));
    c->send_frame(cmd::kHardware, 5, body({"aw", "0", "512"}));
    c->send_frame(cmd::kHardwareSync, 6);
    EXPECT_TRUE(c->expect(frame(cmd::kHardware, 6, body({"aw", "0", "512"})) +
                          frame(cmd::kHardware, 6, body({"dw", "13", "1"})) +
                          frame(cmd::kHardware, 6, body({"vw", "7", "seven"}))));
}

TEST_F(HardwareTest, SyncOfSeveralPinsSkipsPinsWithoutValues) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kHardware, 2, body({"vw", "2", "two"}));
    c->send_frame(cmd::kHardwareSync, 3, body({"vr", "1", "2", "3"}));
    EXPECT_TRUE(c->expect_frame(cmd::kHardware, 3, body({"vw", "2", "two"})));
    EXPECT_TRUE(c->expect_silence());
}

TEST_F(HardwareTest, DevicesDoNotSeeEachOthersValues) {
    auto a = logged_in(token_a_);
    auto b = logged_in(token_b_);
    a->send_frame(cmd::kHardware, 2, body({"vw", "1", "from a"}));
    EXPECT_TRUE(b->expect_silence()) << "device writes must not reach other devices";
    b->send_frame(cmd::kHardwareSync, 3, body({"vr", "1"}));
    EXPECT_TRUE(b->expect_silence());
}

TEST_F(HardwareTest, ReadsFromADeviceAreIgnored) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kHardware, 2, body({"vr", "1"}));
    c->send_frame(cmd::kHardware, 3, body({"pm", "1", "out"}));
    EXPECT_TRUE(c->expect_silence());
}

TEST_F(HardwareTest, MalformedWritesGetIllegalCommand) {
    auto c = logged_in(token_a_);
    const std::vector<std::string> bad = {body({"vw", "256", "1"}),
                                          body({"vw", "-1", "1"}),
                                          body({"vw", "x", "aaaa"}),
                                          body({"aw", "1", ""}),
                                          body({"aw", "1"}),
                                          body({"xw", "1", "1"}),
                                          "vw"};
    uint16_t id = 10;
    for (const auto& b : bad) {
        c->send_frame(cmd::kHardware, id, b);
        EXPECT_TRUE(c->expect_response(id, status::kIllegalCommand)) << hex(b);
        ++id;
    }
    c->send_frame(cmd::kHardwareSync, id, body({"xr", "1"}));
    EXPECT_TRUE(c->expect_response(id, status::kIllegalCommand));
    c->send_frame(cmd::kHardwareSync, id + 1, body({"vr", "300"}));
    EXPECT_TRUE(c->expect_response(id + 1, status::kIllegalCommand));
}

TEST_F(HardwareTest, InfoIsAnsweredWhicheverKeyComesFirst) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kInternal, 2,
                  body({"ver", "0.6.1", "h-beat", "10", "buff-in", "4096", "dev", "Linux", ""}));
    EXPECT_TRUE(c->expect_response(2, status::kOk));
    c->send_frame(cmd::kInternal, 3,
                  body({"mcu", "0.1.0", "fw-type", "TMPL1", "blynk", "1.4.0", "h-beat", "40"}));
    EXPECT_TRUE(c->expect_response(3, status::kOk));
    c->send_frame(cmd::kInternal, 4, body({"utc", "time"}));  // 1.x request, not served
    EXPECT_TRUE(c->expect_silence());
    c->send_frame(cmd::kInternal, 5);
    EXPECT_TRUE(c->expect_response(5, status::kIllegalCommand));
}

TEST_F(HardwareTest, RtcAnswersWithCurrentEpochSeconds) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kInternal, 9, body({"rtc", "sync"}));
    std::string header = c->read_for(500ms);
    ASSERT_GE(header.size(), 9u) << hex(header);
    EXPECT_EQ(header.substr(0, 3), std::string("\x11\x00\x09", 3));
    EXPECT_EQ(header.substr(5, 4), std::string("rtc\0", 4));
    long long secs = std::stoll(header.substr(9));
    long long now = static_cast<long long>(std::time(nullptr));
    EXPECT_NEAR(secs, now, 5);
    EXPECT_EQ(static_cast<size_t>(static_cast<unsigned char>(header[4])), header.size() - 5);
}

TEST_F(HardwareTest, PropertiesAreAcceptedLenientlyAndValidated) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kSetWidgetProperty, 2, body({"1", "label", "Temp"}));
    EXPECT_TRUE(c->expect_response(2, status::kOk));
    c->send_frame(cmd::kSetWidgetProperty, 3, body({"1", "isonplay", "true"}));
    EXPECT_TRUE(c->expect_response(3, status::kOk));
    c->send_frame(cmd::kSetWidgetProperty, 4, body({"1", "bogus", "x"}));
    EXPECT_TRUE(c->expect_response(4, status::kIllegalCommandBody));
    c->send_frame(cmd::kSetWidgetProperty, 5, body({"1", "label"}));
    EXPECT_TRUE(c->expect_response(5, status::kIllegalCommandBody));
    c->send_frame(cmd::kSetWidgetProperty, 6, body({"300", "label", "x"}));
    EXPECT_TRUE(c->expect_response(6, status::kIllegalCommand));
    // Properties are not pin values: sync does not return them.
    c->send_frame(cmd::kHardwareSync, 7);
    EXPECT_TRUE(c->expect_silence());
}

TEST_F(HardwareTest, NotificationsAreAnsweredNotConfigured) {
    auto c = logged_in(token_a_);
    // notify: tests/integration/notify_test.cpp. No Mail widget: refused before the body is
    // looked at, as Java's MailLogic (mail_test.cpp has the rest).
    c->send_frame(cmd::kEmail, 5, body({"to@example.com", "subject", "text"}));
    EXPECT_TRUE(c->expect_response(5, status::kNotAllowed));
    c->send_frame(cmd::kEmail, 6, "only one part");
    EXPECT_TRUE(c->expect_response(6, status::kNotAllowed));
    c->send_frame(cmd::kTweet, 7, "tweet");
    EXPECT_TRUE(c->expect_response(7, status::kNotificationNotAuthorized));
    c->send_frame(cmd::kSms, 8, std::string(161, 's'));
    EXPECT_TRUE(c->expect_response(8, status::kNotificationInvalidBody));
}

TEST_F(HardwareTest, EventLogIsStoredWithoutReply) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kEventLog, 2, body({"door_open", "front door"}));
    c->send_frame(cmd::kEventLog, 3, "just_a_name");
    EXPECT_TRUE(c->expect_silence());
    c->send_frame(cmd::kDebugPrint, 4, "debug text");
    c->send_frame(cmd::kPing, 5);
    EXPECT_TRUE(c->expect_response(5, status::kOk));
    ASSERT_EQ(server_->stop(), 0);
    store::Store db(server_->database_location());
    auto row = db.find_device_by_token(token_a_);
    ASSERT_TRUE(row);
    auto events = db.device_events(row->email, row->dash_id, row->device.id, 10);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].name, "just_a_name");
    EXPECT_EQ(events[0].description, "");
    EXPECT_EQ(events[1].name, "door_open");
    EXPECT_EQ(events[1].description, "front door");
    EXPECT_GT(events[1].time_ms, 1700000000000);
}

// What a device sends is logged quoted and escaped, so it can forge neither a log line nor a
// terminal escape sequence; UTF-8 stays readable.
TEST_F(HardwareTest, DeviceTextIsEscapedInTheLog) {
    const std::string forged = "\n2026-01-01 00:00:00.000 info  login ok: forged";
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kDebugPrint, 2, "temp 21\xc2\xb0" + forged + "\x1b[2J");
    c->send_frame(cmd::kEventLog, 3, "door" + forged);
    auto other = connect();
    other->send_frame(cmd::kHardwareLogin, 1, "ab" + forged);
    EXPECT_TRUE(other->expect_response(1, status::kInvalidToken));
    c->send_frame(cmd::kPing, 4);
    EXPECT_TRUE(c->expect_response(4, status::kOk));

    EXPECT_TRUE(server_->wait_for_log(
        R"(device says: "temp 21°\n2026-01-01 00:00:00.000 info  login ok: forged\x1b[2J")"));
    EXPECT_TRUE(server_->wait_for_log(R"(event "door\n2026-01-01 00:00:00.000 info  login ok: )"));
    EXPECT_TRUE(server_->wait_for_log("login rejected: unknown token ab?2…(" +
                                      std::to_string(2 + forged.size()) + ")"));
    const std::string log = server_->log();
    EXPECT_EQ(log.find("\nforged"), std::string::npos);
    EXPECT_EQ(log.find("\n2026-01-01"), std::string::npos) << log;
    EXPECT_EQ(log.find('\x1b'), std::string::npos) << log;
}

TEST_F(HardwareTest, UnknownCommandsBelow100AreIgnored) {
    auto c = logged_in(token_a_);
    c->send_frame(21, 2, "b");   // 1.x GROUP
    c->send_frame(65, 3, "ev");  // 1.x EVENT_CLEAR
    c->send_frame(99, 4, "?");
    c->send_frame(cmd::kResponse, 5);
    c->send_frame(cmd::kPing, 6);
    EXPECT_TRUE(c->expect_response(6, status::kOk));
}

TEST_F(HardwareTest, BodiesWithNulAndNonAsciiBytesRoundTrip) {
    auto c = logged_in(token_a_);
    const std::string value = std::string(
        "\xc2\xb0"
        "F\0\xff",
        5);
    c->send_frame(cmd::kHardware, 2, body({"vw", "3", value}));
    c->send_frame(cmd::kHardwareSync, 3, body({"vr", "3"}));
    EXPECT_TRUE(c->expect_frame(cmd::kHardware, 3, body({"vw", "3", value})));
}

class WriteAckTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"hardware.write.ack", "true"}};
    }
};

TEST_F(WriteAckTest, EverySuccessfulWriteIsAcknowledged) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kHardware, 2, body({"vw", "1", "x"}));
    EXPECT_TRUE(c->expect_response(2, status::kOk));
    c->send_frame(cmd::kHardware, 3, body({"vw", "999", "x"}));
    EXPECT_TRUE(c->expect_response(3, status::kIllegalCommand));
    c->send_frame(cmd::kHardware, 4, body({"vr", "1"}));
    EXPECT_TRUE(c->expect_silence());
}

}  // namespace
}  // namespace blynk::test
