#include <regex>

#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

TEST(CliTest, ProvisioningPrintsOnlyTheTokenAndExplainsErrors) {
    ServerProcess server;
    auto user = server.cli({"user", "add", "carol@example.com", "--password", "s3cret"});
    EXPECT_EQ(user.exit_code, 0) << user.err;
    EXPECT_EQ(user.out, "");
    auto again = server.cli({"user", "add", "carol@example.com"});
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;

    auto device = server.cli(
        {"device", "add", "carol@example.com", "--name", "Kitchen", "--board", "ESP8266"});
    ASSERT_EQ(device.exit_code, 0) << device.err;
    EXPECT_TRUE(std::regex_match(device.out, std::regex("[A-Za-z0-9_-]{32}\n"))) << device.out;

    auto nobody = server.cli({"device", "add", "nobody@example.com"});
    EXPECT_EQ(nobody.exit_code, 1);
    EXPECT_NE(nobody.err.find("user add nobody@example.com"), std::string::npos) << nobody.err;

    auto bad = server.cli({"device", "add"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("usage: blynkd device add EMAIL"), std::string::npos);

    auto list = server.cli({"device", "list"});
    EXPECT_EQ(list.exit_code, 0);
    EXPECT_NE(list.out.find("carol@example.com"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("Kitchen"), std::string::npos);
    EXPECT_NE(list.out.find("ESP8266"), std::string::npos);
    EXPECT_NE(list.out.find(device.out.substr(0, 32)), std::string::npos);
    EXPECT_NE(list.out.find("never"), std::string::npos);
}

TEST(CliTest, EmptyDataDirLogsTheFirstStepsWithTheRealBinaryPath) {
    ServerProcess server;
    server.start();
    EXPECT_TRUE(server.wait_for_log(std::string(BLYNKD_BINARY) + " user add you@example.com"))
        << server.log();
    EXPECT_TRUE(server.wait_for_log(" device add you@example.com"));
}

class LiveProvisioningTest : public ServerTest {};

TEST_F(LiveProvisioningTest, DeviceAddedWhileRunningCanLogInWithoutRestart) {
    std::string token = server_->provision("dave@example.com", "New board");
    auto deadline = std::chrono::steady_clock::now() + 5s;
    bool ok = false;
    while (!ok && std::chrono::steady_clock::now() < deadline) {
        auto c = connect();
        c->send_frame(cmd::kHardwareLogin, 1, token);
        std::string got = c->read_for(300ms);
        ok = got == response(1, status::kOk);
    }
    EXPECT_TRUE(ok) << "the running server never accepted the new token";
}

TEST_F(LiveProvisioningTest, TokenRefreshDisconnectsTheOldTokenAndTheNewOneWorks) {
    auto c = logged_in(token_a_);
    auto refreshed = server_->cli({"device", "token-refresh", token_a_});
    ASSERT_EQ(refreshed.exit_code, 0) << refreshed.err;
    std::string fresh = refreshed.out.substr(0, 32);
    EXPECT_TRUE(c->expect_closed(5s));
    EXPECT_TRUE(server_->wait_for_log("token refreshed"));
    auto old = connect();
    old->send_frame(cmd::kHardwareLogin, 1, token_a_);
    EXPECT_TRUE(old->expect_response(1, status::kInvalidToken));
    auto now = logged_in(fresh);
    auto missing = server_->cli({"device", "token-refresh", token_a_});
    EXPECT_EQ(missing.exit_code, 1);
}

TEST_F(LiveProvisioningTest, DeviceListShowsOnlineDevices) {
    auto c = logged_in(token_a_);
    std::this_thread::sleep_for(500ms);  // > flush interval
    auto list = server_->cli({"device", "list", "alice@example.com"});
    EXPECT_EQ(list.exit_code, 0);
    EXPECT_NE(list.out.find("Board A"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("online since"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("never"), std::string::npos) << "Board B never connected";
}

TEST(CliTest, HelpVersionAndConfigErrors) {
    ServerProcess server;
    auto help = server.cli({"--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("device add EMAIL"), std::string::npos);
    auto version = server.cli({"--version"});
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_NE(version.out.find("blynkd"), std::string::npos);
    auto bad = server.cli({"--set", "http.prot=1"});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("http.port"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace blynk::test

namespace blynk::test {
namespace {

TEST(CliLimitsTest, DeviceAndDashboardLimitsAreEnforced) {
    ServerProcess server;
    ASSERT_EQ(server.cli({"user", "add", "erin@example.com"}).exit_code, 0);
    auto one = server.cli({"device", "add", "erin@example.com", "--dash", "1", "--set",
                           "user.devices.limit=1", "--set", "user.dashboard.max.limit=1"});
    EXPECT_EQ(one.exit_code, 0) << one.err;
    auto two = server.cli(
        {"device", "add", "erin@example.com", "--dash", "1", "--set", "user.devices.limit=1"});
    EXPECT_EQ(two.exit_code, 1);
    EXPECT_NE(two.err.find("limit"), std::string::npos) << two.err;
    auto other_dash = server.cli({"device", "add", "erin@example.com", "--dash", "2", "--set",
                                  "user.dashboard.max.limit=1"});
    EXPECT_EQ(other_dash.exit_code, 1);
    EXPECT_NE(other_dash.err.find("user.dashboard.max.limit"), std::string::npos) << other_dash.err;
    auto list = server.cli({"device", "list", "erin@example.com"});
    EXPECT_NE(list.out.find(" 1-0 "), std::string::npos) << list.out;
    EXPECT_EQ(list.out.find(" 1-1 "), std::string::npos) << list.out;
}

class SessionsTest : public ServerTest {};

TEST_F(SessionsTest, OnlineStateStaysExactUnderQuickReconnects) {
    auto keeper = logged_in(token_a_);
    for (int i = 0; i < 30; ++i) {
        auto c = logged_in(token_a_);
    }  // each closes at once
    std::this_thread::sleep_for(600ms);
    auto list = server_->cli({"device", "list", "alice@example.com"});
    auto line_of = [&](const std::string& name) {
        auto at = list.out.find(name);
        return at == std::string::npos ? std::string()
                                       : list.out.substr(at, list.out.find('\n', at) - at);
    };
    EXPECT_NE(line_of("Board A").find("online since"), std::string::npos) << list.out;
    keeper.reset();
    std::this_thread::sleep_for(600ms);
    list = server_->cli({"device", "list", "alice@example.com"});
    EXPECT_NE(line_of("Board A").find("offline, last seen"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace blynk::test
