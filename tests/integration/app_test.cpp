// The mobile-app protocol against the real binary: accounts, dashboards, widgets and devices, and
// pin traffic between app sessions and boards (server-surface.md §5).

#include "common/util/password.hpp"
#include "server/store/store.hpp"
#include "tests/support/app_fixture.hpp"
#include "tests/support/ws_client.hpp"

namespace blynk::test {
namespace {

TEST_F(AppTest, LoginChecksTheAppHashOfTheCliPassword) {
    auto a = app();
    EXPECT_EQ(a->login(kEmail, "wrong"), status::kUserNotAuthenticated);
    EXPECT_EQ(a->login("nobody@example.com", kPassword, 2), status::kUserNotRegistered);
    EXPECT_EQ(a->login("Alice@Example.com", kPassword, 3), status::kOk)
        << "the e-mail is not case-sensitive";
    EXPECT_EQ(a->login(kEmail, kPassword, 4), status::kUserAlreadyRegistered);
    a->send(cmd::kPing, 5);
    EXPECT_TRUE(a->expect_response(5, status::kOk));
    EXPECT_TRUE(server_->wait_for_log("login ok: app tcp 127.0.0.1"));
}

TEST_F(AppTest, AnOldCliPasswordIsReportedAndReplacedWhileTheServerRuns) {
    ASSERT_EQ(server_->stop(), 0);
    {
        // What the CLI stored before the app protocol: a hash of the clear password.
        store::Store db(server_->database_location());
        ASSERT_TRUE(
            db.set_password(kEmail, util::hash_password(kPassword), model::PasswordKind::Clear));
    }
    server_->start();
    EXPECT_TRUE(server_->wait_for_log("password set by an older blynkd"));
    EXPECT_EQ(app()->login(kEmail, kPassword), status::kUserNotAuthenticated);
    EXPECT_TRUE(server_->wait_for_log("blynkd user password " + std::string(kEmail)));

    auto set = server_->cli({"user", "password", kEmail, "--password", "new one"});
    ASSERT_EQ(set.exit_code, 0) << set.err;
    EXPECT_TRUE(server_->wait_for_log("provisioning: password of " + std::string(kEmail)));
    EXPECT_EQ(app()->login(kEmail, "new one"), status::kOk);
}

TEST_F(AppTest, LoginWithMessageIdZeroIsAnsweredWithIdZero) {
    auto a = app();
    EXPECT_EQ(a->login(kEmail, kPassword, 0), status::kOk);
}

TEST_F(AppTest, AnythingButGetServerRegisterAndLoginBeforeLoginCloses) {
    auto a = app();
    a->send(cmd::kGetServer, 1, body({kEmail, "Blynk"}));
    EXPECT_TRUE(a->expect_frame(cmd::kGetServer, 1, "127.0.0.1"));
    a->send(cmd::kLoadProfileGzipped, 2);
    EXPECT_TRUE(a->raw().expect_closed());
    EXPECT_TRUE(server_->wait_for_log("LOAD_PROFILE_GZIPPED before login"));
}

TEST_F(AppTest, RegisterCreatesAnAccountTheAppCanLogInTo) {
    auto a = app();
    EXPECT_EQ(a->register_account("bob@example.com", "s3cret"), status::kOk);
    EXPECT_EQ(a->register_account("carol@example.com", "x", 2), status::kNotAllowed)
        << "one REGISTER per connection";
    auto b = app();
    EXPECT_EQ(b->register_account(kEmail, "other"), status::kUserAlreadyRegistered);
    auto c = app();
    EXPECT_EQ(c->login("bob@example.com", "s3cret"), status::kOk);
    json p = profile(*c);
    EXPECT_EQ(p["dashBoards"], json::array()) << p.dump();
    // The account is in the database: the CLI lists it.
    auto users = server_->cli({"user", "list"});
    EXPECT_NE(users.out.find("bob@example.com"), std::string::npos) << users.out;
}

TEST_F(AppTest, ANewUserRegistersBuildsADashboardAndDrivesABoard) {
    // As a new user would: register in the app, log in on two phones.
    EXPECT_EQ(app()->register_account("newbie@example.com", "pw"), status::kOk);
    auto a1 = app();
    ASSERT_EQ(a1->login("newbie@example.com", "pw"), status::kOk);
    auto a2 = app();
    ASSERT_EQ(a2->login("newbie@example.com", "pw"), status::kOk);
    // A dashboard with a button (D13) and a value display (V5), then a device in it.
    a1->send(cmd::kCreateDash, 2, kDashboard);
    EXPECT_TRUE(a1->expect_response(2, status::kOk));
    json device = create_device(*a1, 0, 3);
    ASSERT_TRUE(device.is_object());
    EXPECT_EQ(device["id"], 0);
    EXPECT_EQ(device["name"], "Pump");
    EXPECT_EQ(device["vendor"], "Espressif") << "fields the server does not read are kept";
    EXPECT_EQ(device["status"], "OFFLINE");
    const std::string token = device["token"];
    ASSERT_EQ(token.size(), 32u);

    // The board logs in: both apps hear of it.
    auto hw = board(token);
    EXPECT_TRUE(a1->expect_frame(cmd::kHardwareConnected, 1, "7-0"));
    EXPECT_TRUE(a2->expect_frame(cmd::kHardwareConnected, 1, "7-0"));

    // Activation: pin modes to the board, the echo to the other app.
    a1->send(cmd::kActivateDashboard, 4, "7");
    EXPECT_TRUE(a1->expect_response(4, status::kOk));
    EXPECT_TRUE(hw->expect_frame(cmd::kHardware, 1, body({"pm", "13", "out"})));
    EXPECT_TRUE(a2->expect_frame(cmd::kActivateDashboard, 4, "7"));

    // The app switches D13: the board gets it with the app's id, the other app an APP_SYNC echo.
    a1->send(cmd::kHardware, 5, body({"7-0", "dw", "13", "1"}));
    EXPECT_TRUE(hw->expect_frame(cmd::kHardware, 5, body({"dw", "13", "1"})));
    EXPECT_TRUE(a2->expect_frame(cmd::kAppSync, 5, body({"7-0", "dw", "13", "1"})));
    EXPECT_TRUE(a1->raw().expect_silence()) << "no answer to a successful write";

    // The board writes V5: both apps see it with the board's id.
    hw->send_frame(cmd::kHardware, 9, body({"vw", "5", "42"}));
    EXPECT_TRUE(a1->expect_frame(cmd::kHardware, 9, body({"7-0", "vw", "5", "42"})));
    EXPECT_TRUE(a2->expect_frame(cmd::kHardware, 9, body({"7-0", "vw", "5", "42"})));

    // The profile carries the widgets with their live values and the device online.
    json p = profile(*a1);
    ASSERT_TRUE(p.is_object()) << "not JSON";
    ASSERT_EQ(p["dashBoards"].size(), 1u) << p.dump();
    const json& dash = p["dashBoards"][0];
    EXPECT_EQ(dash["id"], 7);
    EXPECT_EQ(dash["isActive"], true);
    EXPECT_EQ(dash["widgets"][0]["value"], "1");
    EXPECT_EQ(dash["widgets"][1]["value"], "42");
    EXPECT_EQ(dash["widgets"][1]["futureField"]["kept"], true) << "unknown fields survive";
    EXPECT_EQ(dash["devices"][0]["status"], "ONLINE");

    // APP_SYNC replays the stored values with id 1111.
    a1->send(cmd::kAppSync, 6, "7");
    EXPECT_TRUE(a1->expect_response(6, status::kOk));
    EXPECT_TRUE(a1->expect_frame(cmd::kAppSync, 1111, body({"7-0", "dw", "13", "1"})));
    EXPECT_TRUE(a1->expect_frame(cmd::kAppSync, 1111, body({"7-0", "vw", "5", "42"})));

    // The board leaves: DEVICE_OFFLINE with id 0.
    hw.reset();
    EXPECT_TRUE(a1->expect_frame(cmd::kDeviceOffline, 0, "7-0"));
    a1->send(cmd::kHardware, 7, body({"7-0", "vw", "1", "x"}));
    EXPECT_TRUE(a1->expect_response(7, status::kDeviceNotInNetwork));
}

TEST_F(AppTest, WritesToAnInactiveDashboardAreDropped) {
    auto a = logged_in_app();
    auto hw = board(cli_token_);
    EXPECT_TRUE(a->expect_frame(cmd::kHardwareConnected, 1, "1-0"));
    a->send(cmd::kHardware, 2, body({"1-0", "vw", "1", "x"}));
    EXPECT_TRUE(hw->expect_silence());
    hw->send_frame(cmd::kHardware, 3, body({"vw", "2", "y"}));
    EXPECT_TRUE(a->raw().expect_silence()) << "device writes reach apps only when active";
}

TEST_F(AppTest, CliDevicesAppearInTheAppAndAppDevicesInTheCli) {
    auto a = logged_in_app();
    std::string devices = a->request(cmd::kGetDevices, 2, "1");
    json list = json::parse(devices, nullptr, false);
    ASSERT_TRUE(list.is_array()) << devices;
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["name"], "Board A");
    EXPECT_EQ(list[0]["token"], cli_token_);

    a->send(cmd::kCreateDash, 3, kDashboard);
    ASSERT_TRUE(a->expect_response(3, status::kOk));
    json made = create_device(*a, 4, 4);
    auto listed = server_->cli({"device", "list", kEmail});
    EXPECT_NE(listed.out.find("7-4"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find(made["token"].get<std::string>()), std::string::npos) << listed.out;
}

TEST_F(AppTest, RefreshTokenClosesTheBoardOnTheOldToken) {
    auto a = logged_in_app();
    auto hw = board(cli_token_);
    EXPECT_TRUE(a->expect_frame(cmd::kHardwareConnected, 1, "1-0"));
    std::string fresh = a->request(cmd::kRefreshToken, 2, body({"1", "0"}));
    EXPECT_EQ(fresh.size(), 32u);
    EXPECT_NE(fresh, cli_token_);
    EXPECT_TRUE(hw->expect_closed());
    auto old = std::make_unique<RawClient>(server_->port());
    old->send_frame(cmd::kHardwareLogin, 1, cli_token_);
    EXPECT_TRUE(old->expect_response(1, status::kInvalidToken));
    board(fresh);  // logs in with the new one
}

TEST_F(AppTest, WidgetCommands) {
    auto a = logged_in_app();
    a->send(cmd::kCreateDash, 2, kDashboard);
    ASSERT_TRUE(a->expect_response(2, status::kOk));
    const std::string slider =
        R"({"type":"SLIDER","id":102,"width":4,"height":1,"pinType":"VIRTUAL","pin":9})";
    a->send(cmd::kCreateWidget, 3, body({"7", slider}));
    EXPECT_TRUE(a->expect_response(3, status::kOk));
    a->send(cmd::kCreateWidget, 4, body({"7", slider}));
    EXPECT_TRUE(a->expect_response(4, status::kNotAllowed)) << "duplicate id";
    a->send(cmd::kCreateWidget, 5, body({"7", R"({"type":"LED","id":103,"width":0,"height":1})"}));
    EXPECT_TRUE(a->expect_response(5, status::kNotAllowed)) << "width < 1";
    a->send(cmd::kSetWidgetProperty, 6, body({"7", "102", "label", "Speed"}));
    EXPECT_TRUE(a->expect_response(6, status::kOk));
    json got = json::parse(a->request(cmd::kGetWidget, 7, body({"7", "102"})), nullptr, false);
    EXPECT_EQ(got["label"], "Speed");
    a->send(cmd::kUpdateWidget, 8,
            body({"7", R"({"type":"BUTTON","id":102,"width":1,"height":1})"}));
    EXPECT_TRUE(a->expect_response(8, status::kIllegalCommand)) << "a widget keeps its type";
    a->send(cmd::kDeleteWidget, 9, body({"7", "102"}));
    EXPECT_TRUE(a->expect_response(9, status::kOk));
    a->send(cmd::kGetWidget, 10, body({"7", "102"}));
    EXPECT_TRUE(a->expect_response(10, status::kIllegalCommand));
}

TEST_F(AppTest, DashboardsSurviveARestartAndAKill) {
    {
        auto a = logged_in_app();
        a->send(cmd::kCreateDash, 2, kDashboard);
        ASSERT_TRUE(a->expect_response(2, status::kOk));
        a->send(cmd::kCreateWidget, 3,
                body({"7", R"({"type":"LED","id":104,"width":1,"height":1,"extra":[1,2]})"}));
        ASSERT_TRUE(a->expect_response(3, status::kOk));
    }
    ASSERT_EQ(server_->stop(), 0);
    server_->start();
    {
        auto a = logged_in_app();
        json p = profile(*a);
        ASSERT_EQ(p["dashBoards"].size(), 2u) << p.dump();
        EXPECT_EQ(p["dashBoards"][1]["widgets"].size(), 3u);
        EXPECT_EQ(p["dashBoards"][1]["widgets"][2]["extra"], json::array({1, 2}));
        a->send(cmd::kDeleteWidget, 3, body({"7", "100"}));
        ASSERT_TRUE(a->expect_response(3, status::kOk));
    }
    // Committed within a flush interval (100 ms here): a kill after that loses nothing.
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    server_->kill9();
    server_->start();
    auto a = logged_in_app();
    json p = profile(*a);
    ASSERT_EQ(p["dashBoards"].size(), 2u) << p.dump();
    EXPECT_EQ(p["dashBoards"][1]["widgets"].size(), 2u) << p.dump();
}

TEST_F(AppTest, AppOverTlsOnTheTlsPort) {
    TlsOptions tls;
    tls.ca_file = (server_->data_dir() / "tls" / "cert.pem").string();
    AppClient a(server_->tls_port(), tls);
    EXPECT_EQ(a.login(kEmail, kPassword), status::kOk);
    EXPECT_TRUE(server_->wait_for_log("login ok: app tls"));
}

std::string dashws_frame(uint8_t command, uint16_t id, std::string_view body) {
    return frame(command, id, body, proto::Layout::WebApp);
}

TEST_F(AppTest, BrowsersSpeakTheAppProtocolOnDashwsOverWsAndWss) {
    for (bool tls : {false, true}) {
        SCOPED_TRACE(tls ? "wss" : "ws");
        WsClient::Options o;
        o.path = "/dashws";
        if (tls) o.ca_file = (server_->data_dir() / "tls" / "cert.pem").string();
        WsClient ws(tls ? server_->tls_port() : server_->port(), o);
        ws.send(dashws_frame(cmd::kLogin, 1,
                             body({kEmail, util::app_password_hash(kEmail, kPassword), "web"})));
        EXPECT_TRUE(ws.expect_message(response(1, status::kOk, proto::Layout::WebApp),
                                      std::chrono::seconds(5)));
        ws.send(dashws_frame(cmd::kGetEnergy, 2, {}));
        EXPECT_TRUE(ws.expect_message(dashws_frame(cmd::kGetEnergy, 2, "1000000")));
    }
    EXPECT_TRUE(server_->wait_for_log("login ok: app wss"));
}

class AppLockoutTest : public AppTest {
protected:
    std::map<std::string, std::string> settings() const override {
        // Three password checks must fit in one connection's login time: under qemu each
        // takes seconds, so the default 10 s login.timeout is not the subject here.
        return {{"login.failures.per.account", "3"}, {"login.timeout", "120"}};
    }
};

TEST_F(AppLockoutTest, RepeatedWrongPasswordsLockTheAccount) {
    auto a = app();
    for (uint16_t i = 1; i <= 3; ++i)
        EXPECT_EQ(a->login(kEmail, "guess", i), status::kUserNotAuthenticated) << i;
    EXPECT_EQ(a->login(kEmail, kPassword, 4), status::kNotAllowed)
        << "locked: even the right password is refused, before any hashing";
    EXPECT_TRUE(server_->wait_for_log("locked"));
}

}  // namespace
}  // namespace blynk::test
