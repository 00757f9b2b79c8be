// Blynk.NCP against the real binary: an MCU emulator (tests/support/ncp_mcu) on a pseudo-terminal
// that blynkd opens as its serial port (ncp.ports). The stock start-up brings the device online,
// writes go both ways through REST, and broken input (bad CRC, junk, unknown calls) costs nothing.

#include <thread>

#include <gtest/gtest.h>

#include "common/proto/ncp_uids.hpp"
#include "common/proto/ncp_values.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/ncp_mcu.hpp"
#include "tests/support/server_process.hpp"

namespace blynk::test {
namespace {

namespace ncp = proto::ncp;
using namespace std::chrono_literals;

std::string u8_args(uint8_t value) {
    std::string args;
    ncp::Writer(args).u8(value);
    return args;
}

std::string pin_args(uint16_t pin, std::string_view value) {
    std::string args;
    ncp::Writer(args).u16(pin).binary(value);
    return args;
}

class NcpTest : public ::testing::Test {
protected:
    void SetUp() override {
        server_ = std::make_unique<ServerProcess>(
            std::map<std::string, std::string>{{"storage.flush.interval.ms", "100"}});
        token_ = server_->provision("alice@example.com", "Pump");
        server_->set_setting("ncp.ports", mcu_.slave_path() + "=" + token_ + " frame=250");
        server_->start();
        ASSERT_TRUE(server_->wait_for_log("ncp: " + mcu_.slave_path() + ": open at 38400 baud"))
            << server_->log();
        // The port tells an MCU that may have been running that the co-processor restarted.
        ASSERT_EQ(mcu_.expect_oneway(ncp::uid::kClientProcessEvent),
                  u8_args(ncp::event::kNcpRebooting));
    }

    void TearDown() override {
        if (!server_) return;
        const std::string crash = server_->unexpected_exit();
        if (!crash.empty()) ADD_FAILURE() << "blynkd " << crash << "; its log:\n" << server_->log();
    }

    /// The stock start-up, then the pushes that bring BLYNK_CONNECTED.
    void bring_online() {
        ASSERT_TRUE(mcu_.start_up()) << server_->log();
        EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientStateChange),
                  u8_args(ncp::state::kConnectingCloud));
        EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientStateChange),
                  u8_args(ncp::state::kConnected));
        ASSERT_TRUE(server_->wait_for_log("login ok: hardware ncp " + mcu_.slave_path()))
            << server_->log();
    }

    std::string rest(const std::string& path) {
        return http_call(server_->port(), "GET", "/" + token_ + path).body;
    }

    NcpMcu mcu_;
    std::unique_ptr<ServerProcess> server_;
    std::string token_;
};

TEST_F(NcpTest, StartUpBringsTheDeviceOnlineAndAnswersTheCoProcessorCalls) {
    EXPECT_EQ(rest("/isHardwareConnected"), "false");
    // Before initialize the co-processor is "not initialised".
    auto state = mcu_.call(ncp::uid::kGetState);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->data, u8_args(ncp::state::kNotInitialized));
    bring_online();
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientProcessEvent), u8_args(ncp::event::kProvisioned));
    EXPECT_TRUE(server_->wait_for_log("now at 115200 baud")) << "the rate the MCU asked for";
    EXPECT_EQ(rest("/isHardwareConnected"), "true");
    const std::string metrics = http_call(server_->port(), "GET", "/metrics").body;
    EXPECT_NE(metrics.find("blynkd_connections{kind=\"hardware\",transport=\"serial\"} 1"),
              std::string::npos)
        << metrics;
    state = mcu_.call(ncp::uid::kGetState);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->data, u8_args(ncp::state::kConnected));

    // hasUID: yes for what is answered, no for the rest; an unknown call gets status 13.
    std::string uid_args;
    ncp::Writer(uid_args).u16(ncp::uid::kGetTime);
    EXPECT_EQ(mcu_.call(ncp::uid::kNcpHasUid, uid_args)->data, u8_args(1));
    uid_args.clear();
    ncp::Writer(uid_args).u16(ncp::uid::kOtaUpdateStart);
    EXPECT_EQ(mcu_.call(ncp::uid::kNcpHasUid, uid_args)->data, u8_args(0));
    auto unknown = mcu_.call(0x0999);
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, ncp::status::kUnknownUid);
    EXPECT_TRUE(unknown->data.empty());

    // getTime: ISO text, milliseconds near now, offset, zone, DST, true.
    auto time = mcu_.call(ncp::uid::kGetTime);
    ASSERT_TRUE(time);
    ncp::Reader r(time->data);
    const std::string iso(r.string());
    const int64_t ms = r.i64();
    r.i16();
    r.string();
    r.u8();
    EXPECT_TRUE(r.boolean());
    EXPECT_TRUE(r.consumed_exactly());
    EXPECT_EQ(iso.size(), 25u) << iso;
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    EXPECT_LT(std::abs(now_ms - ms), 5000);
}

TEST_F(NcpTest, WritesGoBothWaysThroughTheHub) {
    bring_online();
    // The MCU's virtualWrite is stored like a board's write.
    mcu_.oneway(ncp::uid::kVirtualWrite, pin_args(1, "23.5"));
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(rest("/get/V1"), "[\"23.5\"]");
    // A REST write reaches the MCU as client.blynkVPinChange; multi-value keeps its NULs.
    EXPECT_EQ(http_call(server_->port(), "GET", "/" + token_ + "/update/V2?value=on").status, 200);
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientVPinChange), pin_args(2, "on"));
    EXPECT_EQ(http_call(server_->port(), "GET", "/" + token_ + "/update/V3?value=a&value=b").status,
              200);
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientVPinChange), pin_args(3, std::string("a\0b", 3)));
    // Larger than frame=250 allows (with the frame's 8 bytes and the spare one): dropped, never
    // cut. (Bodies over frame=250, the device's buff-in, the hub drops already.)
    EXPECT_EQ(http_call(server_->port(), "GET",
                        "/" + token_ + "/update/V4?value=" + std::string(245, 'x'))
                  .status,
              200);
    EXPECT_TRUE(server_->wait_for_log("a write of 245 bytes to V4 is larger than the MCU takes"))
        << server_->log();
    EXPECT_EQ(http_call(server_->port(), "GET",
                        "/" + token_ + "/update/V4?value=" + std::string(241, 'y'))
                  .status,
              200);
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientVPinChange), pin_args(4, std::string(241, 'y')))
        << "the largest that fits";
    // syncVirtual: the stored values come back as pin changes.
    mcu_.oneway(ncp::uid::kSyncVirtual, [] {
        std::string args;
        ncp::Writer(args).binary(
            std::string("1\0"
                        "2",
                        3));
        return args;
    }());
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientVPinChange), pin_args(1, "23.5"));
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientVPinChange), pin_args(2, "on"));
    // A property and an event, as a board's.
    std::string property;
    ncp::Writer(property).u16(1).string("color").binary("#FF0000");
    mcu_.oneway(ncp::uid::kSetProperty, property);
    std::string event;
    ncp::Writer(event).string("overheat").string("T=99");
    mcu_.oneway(ncp::uid::kLogEvent, event);
    std::this_thread::sleep_for(300ms);
    EXPECT_NE(rest("/events").find("overheat"), std::string::npos) << rest("/events");
}

TEST_F(NcpTest, BadCrcJunkAndUnknownCallsCostNothing) {
    bring_online();
    // Junk, a frame with a bad CRC (a virtualWrite that must not land), a raw AA cut short.
    mcu_.send_raw("hello\x01\x02");
    mcu_.send_raw(std::string("\xaa\xf3\x1c\xcc\xee\x03\x05\x00\x02\x00\x39\x39\x00\xbb", 14));
    mcu_.send_raw("\xaa\xbc\x67");
    mcu_.oneway(ncp::uid::kSetMetadata, "k\0v\0");  // not used by this server
    mcu_.oneway(ncp::uid::kVirtualWrite, pin_args(5, "7"));
    // virtualWrite V0 "0" as an Arduino MCU sends it, the 11 of the UID raw (ncp.md §3.5 B).
    mcu_.send_raw(std::string("\xaa\xf3\x1c\x11\x03\x00\x00\x01\x00\x30\x42\xbb", 12));
    auto ping = mcu_.call(ncp::uid::kNcpPing);
    ASSERT_TRUE(ping);
    EXPECT_EQ(ping->status, ncp::status::kOk);
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(rest("/get/V5"), "[\"7\"]") << "only the good frame's value";
    EXPECT_EQ(rest("/get/V0"), "[\"0\"]") << "raw XON inside a frame is data";
    EXPECT_EQ(rest("/isHardwareConnected"), "true");
    EXPECT_EQ(server_->stop(), 0);
    EXPECT_NE(server_->log().find("bad CRC 1"), std::string::npos) << server_->log();
}

TEST_F(NcpTest, InitialisingAgainStartsANewSessionAndAWrongTokenIsRefused) {
    bring_online();
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientProcessEvent), u8_args(ncp::event::kProvisioned));
    // The MCU rebooted: initialize again; the pushes come again (BLYNK_CONNECTED re-runs).
    std::string names;
    ncp::Writer(names).string("TMPL0vFkFmJM7").string("QPower");
    auto again = mcu_.call(ncp::uid::kInitialize, names, 5000ms);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->data, u8_args(1));
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientStateChange),
              u8_args(ncp::state::kConnectingCloud));
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientStateChange), u8_args(ncp::state::kConnected));
    EXPECT_TRUE(server_->wait_for_log("the MCU initialised again"));
    EXPECT_EQ(rest("/isHardwareConnected"), "true");

    // The token is refreshed: the session ends and the MCU is asked to initialise again; with
    // the old token in ncp.ports its login is refused and it stays in configuration state.
    auto refreshed = server_->cli({"device", "token-refresh", token_});
    ASSERT_EQ(refreshed.exit_code, 0) << refreshed.err;
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientProcessEvent, 5000ms),
              u8_args(ncp::event::kNcpRebooting))
        << server_->log();
    ASSERT_TRUE(mcu_.call(ncp::uid::kInitialize, names, 5000ms));
    EXPECT_EQ(mcu_.expect_oneway(ncp::uid::kClientStateChange, 5000ms),
              u8_args(ncp::state::kConfig))
        << server_->log();
    EXPECT_TRUE(server_->wait_for_log("the token given in ncp.ports was refused"));
}

TEST_F(NcpTest, ARestartedCoProcessorAndALostLinkTakeTheDeviceOffline) {
    bring_online();
    auto reboot = mcu_.call(ncp::uid::kNcpReboot);
    ASSERT_TRUE(reboot);
    EXPECT_EQ(reboot->data, u8_args(1));
    EXPECT_TRUE(server_->wait_for_log("now at 38400 baud")) << "back at the first rate";
    EXPECT_TRUE(server_->wait_for_log("disconnect: hardware ncp")) << server_->log();
    EXPECT_EQ(rest("/isHardwareConnected"), "false");
    EXPECT_EQ(mcu_.call(ncp::uid::kGetState)->data, u8_args(ncp::state::kNotInitialized));

    bring_online();
    mcu_.unplug();
    EXPECT_TRUE(server_->wait_for_log("link lost")) << server_->log();
    EXPECT_TRUE(server_->wait_for_log("cannot open")) << "and it tries again";
    EXPECT_EQ(rest("/isHardwareConnected"), "false");
}

// The real timings (ncp.md §3.4): pinged after 25 s of silence, every 5 s; offline after five
// unanswered pings. About 85 s.
TEST_F(NcpTest, ASilentMcuIsPingedAndGoesOfflineAfterFiveUnansweredPings) {
    bring_online();
    auto ping = mcu_.expect_invoke(ncp::uid::kMcuPing, 32s);
    ASSERT_TRUE(ping) << "pinged after 25 s of silence";
    mcu_.answer(ping->msg_id, ncp::status::kOk);
    mcu_.forget();
    EXPECT_TRUE(mcu_.expect_silence(20s)) << "an answer counts as the MCU being there";
    EXPECT_EQ(rest("/isHardwareConnected"), "true");
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(mcu_.expect_invoke(ncp::uid::kMcuPing, i == 0 ? 12s : 7s)) << "ping " << i;
    EXPECT_TRUE(server_->wait_for_log("the MCU has not answered for", 10s)) << server_->log();
    EXPECT_EQ(rest("/isHardwareConnected"), "false");
    // Back when it initialises again.
    bring_online();
    EXPECT_EQ(rest("/isHardwareConnected"), "true");
}

TEST(NcpConfig, AMistakeInNcpPortsStopsTheServerWithItsReason) {
    ServerProcess server;
    for (const auto& [value, reason] : std::vector<std::pair<std::string, std::string>>{
             {"/dev/ttyAMA0=abc baud=12345", "cannot run at 12345 baud"},
             {"/dev/ttyAMA0", "is not PATH=TOKEN"},
             {"/dev/ttyAMA0=abc frame=2000", "the frame cap must be 32 to 1536 bytes"},
             {"/dev/ttyAMA0=abc parity=odd", "unknown option \"parity\""},
             {"/dev/ttyAMA0=abc; /dev/ttyAMA0=def", "/dev/ttyAMA0 is given twice"}}) {
        // --allow-root: the root check comes first when the tests run as root (CI).
        auto run = server.cli({"--allow-root", "--set", "ncp.ports=" + value});
        EXPECT_EQ(run.exit_code, 1) << value;
        EXPECT_NE(run.err.find(reason), std::string::npos) << run.err;
    }
}

}  // namespace
}  // namespace blynk::test
