// The hub and dispatcher with test sessions: routing, relays to watchers (app/web sessions,
// which arrive with later issues), online state, quota arithmetic.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "server/hub/dispatcher.hpp"
#include "server/hub/handlers.hpp"
#include "server/hub/hub.hpp"
#include "tests/unit/recording_persistence.hpp"

namespace blynk::hub {
namespace {

struct Sent {
    uint8_t command;
    uint16_t id;
    std::string body;  // for responses: the status as text
    friend bool operator==(const Sent&, const Sent&) = default;
};

std::ostream& operator<<(std::ostream& os, const Sent& s) {
    return os << "{cmd " << int(s.command) << " id " << s.id << " '" << s.body << "'}";
}

std::string nul(std::initializer_list<std::string_view> fields) {
    return proto::join(std::vector<std::string_view>(fields));
}

class TestPeer final : public SessionLink {
public:
    explicit TestPeer(PeerKind kind = PeerKind::Hardware) : kind_(kind) {}
    void send(uint8_t command, uint16_t id, std::string_view body) override {
        sent.push_back({command, id, std::string(body)});
    }
    void send_response(uint16_t id, uint16_t status) override {
        sent.push_back({0, id, std::to_string(status)});
    }
    void close(std::string_view reason) override { closed = std::string(reason); }
    void close_after_writes(std::string_view reason) override { close(reason); }
    std::string repr() const override { return "test peer"; }
    PeerKind kind() const override { return kind_; }
    void set_idle_timeout(std::chrono::seconds t) override { idle = t; }
    void rebind(UserExecutor, std::function<void()> then) override { then(); }
    void logged_in(std::string) override {}
    void pause_reading() override {}
    void resume_reading() override {}
    std::string_view peer_address() const override { return "127.0.0.1"; }
    std::string local_address() override { return "127.0.0.1"; }
    std::shared_ptr<void> keep_alive() override { return nullptr; }
    void post(std::function<void()> fn) override { fn(); }

    std::vector<Sent> sent;
    std::string closed;
    std::chrono::seconds idle{-1};

private:
    PeerKind kind_;
};

model::User user_with_two_devices() {
    model::User u;
    u.email = "a@example.com";
    model::Dashboard dash;
    dash.id = 1;
    dash.name = "Home";
    dash.active = true;  // apps hear of device writes only on active dashboards
    model::Device d0;
    d0.id = 0;
    d0.token = "token-zero";
    d0.pins[{model::PinType::Virtual, 3}] = "stored";
    model::Device d1;
    d1.id = 1;
    d1.token = "token-one";
    dash.devices = {d0, d1};
    u.dashboards.push_back(dash);
    return u;
}

class HubTest : public ::testing::Test {
protected:
    HubTest() : hub_(io_, persistence_, outbound_), dispatcher_(hub_, guesses_) {
        hub_.load({user_with_two_devices()});
    }

    void frame(HardwareConnection& conn, uint8_t command, uint16_t id, std::string body) {
        proto::FrameView f{command, id, 0, body};
        dispatcher_.on_frame(conn, f, QuotaMeter::Clock::now());
    }

    void login(HardwareConnection& conn, const std::string& token) {
        frame(conn, proto::cmd::kHardwareLogin, 1, token);
        io_.run();
        io_.restart();
    }

    boost::asio::io_context io_;
    RecordingPersistence persistence_;
    NoOutbound outbound_;
    Hub hub_;
    TokenGuessLimiter guesses_{TokenGuessLimits{}};
    Dispatcher dispatcher_;
    HardwareOptions options_;
    AppOptions app_options_;
};

TEST_F(HubTest, LoginAttachesAndAnnouncesToWatchers) {
    TestPeer app(PeerKind::App);
    AppConnection app_conn(app, app_options_);
    auto user = hub_.find_token("token-zero")->user;
    user->attach_app(app_conn);
    TestPeer peer;
    HardwareConnection conn(peer, options_);
    login(conn, "token-zero");
    ASSERT_TRUE(conn.logged_in());
    EXPECT_EQ(peer.sent, (std::vector<Sent>{{0, 1, "200"}}));
    EXPECT_EQ(peer.idle, std::chrono::seconds(23)) << "ceil(2.3 x 10)";
    EXPECT_EQ(app.sent, (std::vector<Sent>{{proto::cmd::kHardwareConnected, 1, "1-0"}}))
        << "HARDWARE_CONNECTED with <dash>-<device>";
    EXPECT_EQ(persistence_.seen, std::vector<std::string>{"1-0 online"});
    EXPECT_TRUE(user->find({1, 0})->online());
}

TEST_F(HubTest, DeviceWritesAreRelayedToWatchersNeverToOtherDevices) {
    TestPeer app(PeerKind::App);
    AppConnection app_conn(app, app_options_);
    hub_.find_token("token-zero")->user->attach_app(app_conn);
    TestPeer p0, p1;
    HardwareConnection c0(p0, options_), c1(p1, options_);
    login(c0, "token-zero");
    login(c1, "token-one");
    app.sent.clear();
    p0.sent.clear();
    p1.sent.clear();
    frame(c0, proto::cmd::kHardware, 5, nul({"vw", "4", "42"}));
    EXPECT_TRUE(p0.sent.empty()) << "no reply to a successful write";
    EXPECT_TRUE(p1.sent.empty()) << "devices do not receive each other's writes";
    EXPECT_EQ(app.sent,
              (std::vector<Sent>{{proto::cmd::kHardware, 5, nul({"1-0", "vw", "4", "42"})}}));
    EXPECT_TRUE(persistence_.pins.empty()) << "pins are handed over in batches";
    hub_.flush_pins_now();
    EXPECT_EQ(persistence_.pins, std::vector<std::string>{"1-0 v4=42"});
}

TEST_F(HubTest, PinChangesAreCoalescedPerBatch) {
    TestPeer p0;
    HardwareConnection c0(p0, options_);
    login(c0, "token-zero");
    for (int i = 0; i < 50; ++i)
        frame(c0, proto::cmd::kHardware, 5, nul({"vw", "4", std::to_string(i)}));
    frame(c0, proto::cmd::kHardware, 6, nul({"dw", "2", "1"}));
    hub_.collect_pins();  // posts to the user's strand
    io_.run();
    io_.restart();
    std::sort(persistence_.pins.begin(), persistence_.pins.end());
    EXPECT_EQ(persistence_.pins, (std::vector<std::string>{"1-0 d2=1", "1-0 v4=49"}));
    EXPECT_EQ(persistence_.batches, 1);
    hub_.flush_pins_now();
    EXPECT_EQ(persistence_.batches, 1) << "nothing changed since: no empty batch";

    // The next batch: a pin sent before is sent again; the same number of another type is
    // another pin.
    persistence_.pins.clear();
    frame(c0, proto::cmd::kHardware, 7, nul({"vw", "4", "50"}));
    frame(c0, proto::cmd::kHardware, 8, nul({"aw", "4", "7"}));
    frame(c0, proto::cmd::kHardware, 9, nul({"dw", "4", "0"}));
    frame(c0, proto::cmd::kHardware, 10, nul({"vw", "4", "51"}));
    hub_.flush_pins_now();
    std::sort(persistence_.pins.begin(), persistence_.pins.end());
    EXPECT_EQ(persistence_.pins, (std::vector<std::string>{"1-0 a4=7", "1-0 d4=0", "1-0 v4=51"}));
    EXPECT_EQ(persistence_.batches, 2);
}

TEST_F(HubTest, PropertyIsRelayedAndStored) {
    TestPeer app(PeerKind::App);
    AppConnection app_conn(app, app_options_);
    hub_.find_token("token-zero")->user->attach_app(app_conn);
    TestPeer p0;
    HardwareConnection c0(p0, options_);
    login(c0, "token-zero");
    app.sent.clear();
    frame(c0, proto::cmd::kSetWidgetProperty, 8, nul({"1", "LABEL", "Temp"}));
    EXPECT_EQ(app.sent, (std::vector<Sent>{{proto::cmd::kSetWidgetProperty, 8,
                                            nul({"1-0", "1", "LABEL", "Temp"})}}));
    EXPECT_EQ(persistence_.properties, std::vector<std::string>{"label=Temp"});
}

TEST_F(HubTest, OfflineIsAnnouncedOnlyWhenTheLastConnectionLeaves) {
    TestPeer app(PeerKind::App);
    AppConnection app_conn(app, app_options_);
    auto user = hub_.find_token("token-zero")->user;
    user->attach_app(app_conn);
    TestPeer a, b;
    HardwareConnection ca(a, options_), cb(b, options_);
    login(ca, "token-zero");
    login(cb, "token-zero");
    app.sent.clear();
    ca.on_closed();
    EXPECT_TRUE(app.sent.empty());
    EXPECT_TRUE(user->find({1, 0})->online());
    cb.on_closed();
    EXPECT_EQ(app.sent, (std::vector<Sent>{{proto::cmd::kDeviceOffline, 0, "1-0"}}));
    EXPECT_FALSE(user->find({1, 0})->online());
    cb.on_closed();  // idempotent
    EXPECT_EQ(user->find({1, 0})->connections.size(), 0u);
}

TEST_F(HubTest, SyncUsesStoredValuesLoadedAtStart) {
    TestPeer p0;
    HardwareConnection c0(p0, options_);
    login(c0, "token-zero");
    p0.sent.clear();
    frame(c0, proto::cmd::kHardwareSync, 9, nul({"vr", "3"}));
    EXPECT_EQ(p0.sent, (std::vector<Sent>{{proto::cmd::kHardware, 9, nul({"vw", "3", "stored"})}}));
}

TEST_F(HubTest, InfoSetsHeartbeatTimeoutAndForwardLimit) {
    TestPeer p0;
    HardwareConnection c0(p0, options_);
    login(c0, "token-zero");
    frame(c0, proto::cmd::kInternal, 2, nul({"mcu", "1.0", "h-beat", "40", "buff-in", "1024"}));
    EXPECT_EQ(p0.idle, std::chrono::seconds(92));
    EXPECT_EQ(c0.max_forward_body, 1019u);
    frame(c0, proto::cmd::kInternal, 3, nul({"ver", "0.5.4", "dev", "js"}));
    EXPECT_EQ(c0.max_forward_body, 245u) << "info without buff-in: the 250-byte default";
    auto* entry = hub_.find_token("token-zero")->user->find({1, 0});
    EXPECT_EQ(entry->info.version, "0.5.4");
}

TEST_F(HubTest, TokenRefreshMovesTheIndexAndClosesSessions) {
    TestPeer p0;
    HardwareConnection c0(p0, options_);
    login(c0, "token-zero");
    hub_.token_refreshed("token-zero", "token-new");
    io_.run();
    io_.restart();
    EXPECT_EQ(p0.closed, "token refreshed");
    EXPECT_FALSE(hub_.find_token("token-zero"));
    ASSERT_TRUE(hub_.find_token("token-new"));
    EXPECT_EQ(hub_.find_token("token-new")->device, (DeviceRef{1, 0}));
}

TEST_F(HubTest, DeviceAddedAtRuntimeCanLogIn) {
    model::Device d;
    d.id = 0;
    d.token = "fresh";
    hub_.device_added("new@example.com", 1, d);
    io_.run();  // the strand work a real login would queue behind
    io_.restart();
    TestPeer p;
    HardwareConnection c(p, options_);
    login(c, "fresh");
    EXPECT_TRUE(c.logged_in());
    EXPECT_EQ(hub_.user_count(), 2u);
}

TEST(Quota, BurstOfOneSecondThenRefillsAtTheLimit) {
    QuotaMeter q(10);
    auto t0 = QuotaMeter::Clock::time_point{} + std::chrono::hours(1);
    int accepted = 0;
    for (int i = 0; i < 25; ++i)
        accepted += q.try_consume(t0);
    EXPECT_EQ(accepted, 10);
    EXPECT_EQ(q.dropped(), 15u);
    EXPECT_FALSE(q.try_consume(t0 + std::chrono::milliseconds(50)));
    EXPECT_TRUE(q.try_consume(t0 + std::chrono::milliseconds(150))) << "1.5 tokens refilled";
    int later = 0;
    for (int i = 0; i < 30; ++i)
        later += q.try_consume(t0 + std::chrono::seconds(10));
    EXPECT_EQ(later, 10) << "the bucket never holds more than one second's worth";
}

TEST(Quota, WarnsAtMostOncePerMinute) {
    QuotaMeter q(1);
    auto t0 = QuotaMeter::Clock::time_point{} + std::chrono::hours(1);
    EXPECT_TRUE(q.should_warn(t0));
    EXPECT_FALSE(q.should_warn(t0 + std::chrono::seconds(59)));
    EXPECT_TRUE(q.should_warn(t0 + std::chrono::seconds(60)));
}

TEST(Heartbeat, IdleTimeoutIsCeilOf2Point3Times) {
    EXPECT_EQ(idle_timeout_for_heartbeat(10), 23u);
    EXPECT_EQ(idle_timeout_for_heartbeat(15), 35u);
    EXPECT_EQ(idle_timeout_for_heartbeat(40), 92u);
    EXPECT_EQ(idle_timeout_for_heartbeat(50), 115u);
    EXPECT_EQ(idle_timeout_for_heartbeat(1), 3u);
    EXPECT_EQ(idle_timeout_for_heartbeat(3), 7u);
}

TEST(Handlers, ParseWriteMatchesTheJavaRules) {
    uint16_t status = 0;
    const std::string write_body = nul({"Vw", "255", "a", "b"});  // the result points into it
    auto w = handlers::parse_write(write_body, status);
    ASSERT_TRUE(w);
    EXPECT_EQ(w->pin.str(), "v255");
    EXPECT_EQ(w->value, nul({"a", "b"}));
    EXPECT_FALSE(handlers::parse_write(nul({"vr", "1"}), status));
    EXPECT_EQ(status, 0) << "reads are ignored, not errors";
    EXPECT_FALSE(handlers::parse_write(nul({"vw", "1", ""}), status));
    EXPECT_EQ(status, proto::status::kIllegalCommand);
    EXPECT_FALSE(handlers::parse_write(nul({"vw", "01x", "1"}), status));
    EXPECT_EQ(status, proto::status::kIllegalCommand);
    EXPECT_EQ(handlers::canonical_property("ISONPLAY").value_or(""), "isOnPlay");
    EXPECT_FALSE(handlers::canonical_property("bogus"));
}

}  // namespace
}  // namespace blynk::hub
