#include <sys/wait.h>

#include <cstdio>
#include <regex>

#include "common/util/password.hpp"
#include "server/store/store.hpp"
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

    // Long names and board types (the Java app's "ESP32 Dev Board") keep their columns apart.
    auto wide = server.cli({"device", "add", "carol@example.com", "--name", "Greenhouse controller",
                            "--board", "ESP32 Dev Board"});
    ASSERT_EQ(wide.exit_code, 0) << wide.err;
    list = server.cli({"device", "list"});
    EXPECT_TRUE(std::regex_search(list.out, std::regex("Greenhouse controller +ESP32 Dev Board +" +
                                                       wide.out.substr(0, 32) + " +offline")))
        << list.out;
}

TEST(CliTest, EmptyDataDirLogsTheFirstStepsWithTheRealBinaryPath) {
    ServerProcess server;
    server.start();
    EXPECT_TRUE(server.wait_for_log(std::string(BLYNKD_BINARY) + " user add you@example.com"))
        << server.log();
    EXPECT_TRUE(server.wait_for_log(" device add you@example.com"));
    EXPECT_TRUE(server.wait_for_log(std::string(BLYNKD_BINARY) +
                                    " user add admin@example.com --password '<password>' --admin"))
        << "no default account: the log says how to make the first administrator";
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

TEST_F(LiveProvisioningTest, UserDeleteDisconnectsEverythingTheAccountHad) {
    auto a = logged_in(token_a_);
    auto b = logged_in(token_b_);
    auto deleted = server_->cli({"user", "delete", "Alice@Example.com"});
    ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
    EXPECT_TRUE(a->expect_closed(5s));
    EXPECT_TRUE(b->expect_closed(5s));
    EXPECT_TRUE(server_->wait_for_log("provisioning: user alice@example.com deleted"));
    EXPECT_TRUE(server_->wait_for_log("user deleted"));
    auto again = connect();
    again->send_frame(cmd::kHardwareLogin, 1, token_a_);
    EXPECT_TRUE(again->expect_response(1, status::kInvalidToken));
    EXPECT_EQ(server_->cli({"user", "delete", "alice@example.com"}).exit_code, 1);
    auto list = server_->cli({"user", "list"});
    EXPECT_EQ(list.out.find("alice@"), std::string::npos) << list.out;
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
    EXPECT_NE(help.out.find("user password EMAIL [--password PASS]"), std::string::npos);
    EXPECT_NE(help.out.find("user list"), std::string::npos);
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

namespace blynk::test {
namespace {

/// The stored user `email`, read with the store as the server would read it at start.
model::User stored_user(const ServerProcess& server, const std::string& email) {
    store::Store store(server.database_location());
    for (auto& user : store.load_all())
        if (user.email == email) return user;
    ADD_FAILURE() << "no stored user " << email;
    return {};
}

/// True when the Blynk app logging in as `email` with `password` matches the stored hash.
bool app_can_log_in(const ServerProcess& server, const std::string& email,
                    const std::string& password) {
    const model::User user = stored_user(server, email);
    return user.password_kind == model::PasswordKind::App &&
           util::verify_password(util::app_password_hash(email, password), user.password_hash);
}

/// The last line of `text` without its newline: the CLI's own message after its log lines.
std::string last_line(std::string text) {
    if (text.ends_with('\n')) text.pop_back();
    return text.substr(text.rfind('\n') + 1);  // npos + 1 == 0: a single line
}

/// The line of `text` that starts with `start`; empty when there is none.
std::string line_starting(const std::string& text, const std::string& start) {
    size_t at = text.rfind("\n" + start);
    if (at == std::string::npos) return {};
    ++at;
    return text.substr(at, text.find('\n', at) - at);
}

TEST(CliUsersTest, UserAddWithPasswordLetsTheAppLogInAndUserListSaysSo) {
    ServerProcess server;
    auto empty = server.cli({"user", "list"});
    EXPECT_EQ(empty.exit_code, 0) << empty.err;
    EXPECT_EQ(last_line(empty.err), "no users");
    EXPECT_EQ(empty.out.rfind("EMAIL", 0), 0u) << empty.out;
    EXPECT_EQ(std::count(empty.out.begin(), empty.out.end(), '\n'), 1) << empty.out;

    auto add = server.cli({"user", "add", "carol@example.com", "--password", "s3cret"});
    ASSERT_EQ(add.exit_code, 0) << add.err;
    EXPECT_TRUE(app_can_log_in(server, "carol@example.com", "s3cret"));
    EXPECT_FALSE(app_can_log_in(server, "carol@example.com", "wrong"));
    ASSERT_EQ(server.cli({"user", "add", "dan@example.com"}).exit_code, 0);
    ASSERT_EQ(server.cli({"device", "add", "carol@example.com", "--name", "A"}).exit_code, 0);
    ASSERT_EQ(server.cli({"device", "add", "carol@example.com", "--name", "B"}).exit_code, 0);
    EXPECT_EQ(stored_user(server, "dan@example.com").password_kind, model::PasswordKind::None);

    auto list = server.cli({"user", "list"});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(list.err.find("no users"), std::string::npos) << list.err;
    EXPECT_TRUE(std::regex_match(list.out.substr(0, list.out.find('\n')),
                                 std::regex("EMAIL +DASHBOARDS +DEVICES +CREATED +ROLE +LOGIN")))
        << list.out;
    const std::string time = R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC)";
    EXPECT_TRUE(
        std::regex_match(line_starting(list.out, "carol@example.com"),
                         std::regex("carol@example.com +1 +2 +" + time + " +user +app password")))
        << list.out;
    EXPECT_TRUE(
        std::regex_match(line_starting(list.out, "dan@example.com"),
                         std::regex("dan@example.com +0 +0 +" + time + " +user +no password")))
        << list.out;
    EXPECT_LT(list.out.find("carol@"), list.out.find("dan@")) << "ordered by email";
}

TEST(CliUsersTest, UserPasswordReplacesThePassword) {
    ServerProcess server;
    ASSERT_EQ(server.cli({"user", "add", "carol@example.com", "--password", "old"}).exit_code, 0);
    auto set = server.cli({"user", "password", "carol@example.com", "--password", "n3w pass"});
    EXPECT_EQ(set.exit_code, 0) << set.err;
    EXPECT_EQ(set.out, "");
    EXPECT_EQ(last_line(set.err), "password of carol@example.com set; the app can log in with it");
    EXPECT_TRUE(app_can_log_in(server, "carol@example.com", "n3w pass"));
    EXPECT_FALSE(app_can_log_in(server, "carol@example.com", "old"));

    auto nobody = server.cli({"user", "password", "nobody@example.com", "--password", "x"});
    EXPECT_EQ(nobody.exit_code, 1);
    EXPECT_EQ(last_line(nobody.err), "error: no user nobody@example.com");
    // The test's stdin is /dev/null: no line, so no password.
    auto no_line = server.cli({"user", "password", "carol@example.com"});
    EXPECT_EQ(no_line.exit_code, 2);
    EXPECT_EQ(last_line(no_line.err), "error: the password must not be empty");
    auto empty = server.cli({"user", "password", "carol@example.com", "--password", ""});
    EXPECT_EQ(empty.exit_code, 2);
    EXPECT_TRUE(app_can_log_in(server, "carol@example.com", "n3w pass"));
    auto usage = server.cli({"user", "password"});
    EXPECT_EQ(usage.exit_code, 2);
    EXPECT_NE(usage.err.find("usage: blynkd user password EMAIL"), std::string::npos) << usage.err;
}

TEST(CliUsersTest, UserPasswordReadsOneLineFromStdin) {
    ServerProcess server;
    ASSERT_EQ(server.cli({"user", "add", "carol@example.com"}).exit_code, 0);
    std::string blynkd;
    for (const std::string& word : blynkd_command())
        blynkd += word + " ";
    const std::string command = "printf 'from stdin\\nsecond line\\n' | BLYNKD_ALLOW_TMP_DATA=1 " +
                                blynkd + "user password carol@example.com --data-dir '" +
                                server.data_dir().string() + "' 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    char buffer[512];
    while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
        output.append(buffer, n);
    const int status = ::pclose(pipe);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << output;
    EXPECT_NE(output.find("password of carol@example.com set"), std::string::npos) << output;
    EXPECT_TRUE(app_can_log_in(server, "carol@example.com", "from stdin"));
}

TEST(CliUsersTest, UserListTellsOldPasswordUsersWhatToRun) {
    ServerProcess server;
    {
        // As a release before the app protocol stored `user add --password`.
        store::Store store(server.database_location());
        store.add_user("old@example.com", util::hash_password("pw"), model::PasswordKind::Clear);
    }
    auto list = server.cli({"user", "list"});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_TRUE(std::regex_search(
        line_starting(list.out, "old@example.com"),
        std::regex(" UTC +user +old password: run blynkd user password old@example.com$")))
        << list.out;
    ASSERT_EQ(server.cli({"user", "password", "old@example.com", "--password", "pw"}).exit_code, 0);
    EXPECT_TRUE(app_can_log_in(server, "old@example.com", "pw"));
    list = server.cli({"user", "list"});
    EXPECT_TRUE(std::regex_search(line_starting(list.out, "old@example.com"),
                                  std::regex(" UTC +user +app password$")))
        << list.out;
}

TEST(CliUsersTest, EmailsAreStoredLowerCasedAndFoundAsWritten) {
    ServerProcess server;
    auto add = server.cli({"user", "add", "Mixed.Case@Example.COM", "--password", "pw"});
    ASSERT_EQ(add.exit_code, 0) << add.err;
    EXPECT_EQ(last_line(add.err),
              "user mixed.case@example.com added; next: blynkd device add mixed.case@example.com");
    auto again = server.cli({"user", "add", "MIXED.case@example.com"});
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_EQ(last_line(again.err), "error: user mixed.case@example.com already exists");
    EXPECT_TRUE(app_can_log_in(server, "mixed.case@example.com", "pw"));

    auto device = server.cli({"device", "add", "Mixed.Case@Example.COM", "--name", "K"});
    EXPECT_EQ(device.exit_code, 0) << device.err;
    auto password = server.cli({"user", "password", "Mixed.Case@Example.COM", "--password", "p2"});
    EXPECT_EQ(password.exit_code, 0) << password.err;
    EXPECT_TRUE(app_can_log_in(server, "mixed.case@example.com", "p2"));

    auto list = server.cli({"user", "list"});
    EXPECT_TRUE(std::regex_match(line_starting(list.out, "mixed.case@example.com"),
                                 std::regex("mixed.case@example.com +1 +1 .*app password")))
        << list.out;
    EXPECT_EQ(list.out.find("Mixed"), std::string::npos) << list.out;
    auto devices = server.cli({"device", "list", "Mixed.Case@Example.COM"});
    EXPECT_NE(devices.out.find("mixed.case@example.com"), std::string::npos) << devices.out;
}

TEST(CliUsersTest, AdministratorsAreMadeAndUnmadeOnTheServer) {
    ServerProcess server;
    auto add = server.cli({"user", "add", "Root@Example.com", "--admin", "--password", "pw"});
    ASSERT_EQ(add.exit_code, 0) << add.err;
    EXPECT_NE(add.err.find("administrator root@example.com added"), std::string::npos) << add.err;
    EXPECT_TRUE(stored_user(server, "root@example.com").admin);
    ASSERT_EQ(server.cli({"user", "add", "eve@example.com"}).exit_code, 0);
    EXPECT_FALSE(stored_user(server, "eve@example.com").admin);
    const std::string time = R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC)";
    auto list = server.cli({"user", "list"});
    EXPECT_TRUE(
        std::regex_match(line_starting(list.out, "root@example.com"),
                         std::regex("root@example.com +0 +0 +" + time + " +admin +app password")))
        << list.out;

    EXPECT_EQ(server.cli({"user", "admin", "eve@example.com", "on"}).exit_code, 0);
    EXPECT_TRUE(stored_user(server, "eve@example.com").admin);
    EXPECT_EQ(server.cli({"user", "admin", "root@example.com", "off"}).exit_code, 0);
    EXPECT_FALSE(stored_user(server, "root@example.com").admin);
    EXPECT_EQ(server.cli({"user", "admin", "nobody@example.com", "on"}).exit_code, 1);
    EXPECT_EQ(server.cli({"user", "admin", "eve@example.com", "maybe"}).exit_code, 2);
    EXPECT_EQ(server.cli({"user", "list", "--admin"}).exit_code, 2) << "a flag of add only";

    // A running server hears of it, and no longer asks for a first administrator.
    server.start();
    EXPECT_FALSE(server.wait_for_log("no administrator yet", 500ms));
    EXPECT_EQ(server.cli({"user", "admin", "root@example.com", "on"}).exit_code, 0);
    EXPECT_TRUE(server.wait_for_log("provisioning: root@example.com is now an administrator"));
}

}  // namespace
}  // namespace blynk::test
