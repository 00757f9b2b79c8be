// The web console's admin API against the real binary (server/http/admin_api): administrators
// only, the CSRF token for changes, the lists with live state, and each action with its effect
// on boards and the log.

#include <thread>

#include "tests/support/console_fixture.hpp"

namespace blynk::test {
namespace {

constexpr const char* kAdmin = "root@example.com";

class ConsoleAdminTest : public ConsoleApiTest {
protected:
    void SetUp() override {
        ConsoleApiTest::SetUp();
        auto added = server_->cli({"user", "add", kAdmin, "--admin", "--password", "pw"});
        ASSERT_EQ(added.exit_code, 0) << added.err;
        ASSERT_TRUE(server_->wait_for_log("provisioning: user root@example.com added"));
        HttpResponse in = sign_in(kAdmin, "pw");
        ASSERT_EQ(in.status, 200) << in.body;
        cookie_ = cookie_of(in);
        csrf_ = body_of(in).value("csrf", "");
    }
    HttpResponse get(const std::string& path) { return admin_call("GET", path, cookie_, ""); }
    HttpResponse post(const std::string& path, const json& body) {
        return admin_call("POST", path, cookie_, csrf_, body);
    }

    std::string cookie_;
    std::string csrf_;
};

TEST_F(ConsoleAdminTest, OnlySignedInAdministratorsWithTheTokenGetIn) {
    EXPECT_EQ(call("GET", "", "", "application/json", "/api/admin/users").status, 401);
    HttpResponse alice = sign_in(kEmail, kPassword);
    ASSERT_EQ(alice.status, 200);
    HttpResponse refused = admin_call("GET", "/api/admin/users", cookie_of(alice), "");
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(body_of(refused), json({{"error", "Administrators only."}}));
    EXPECT_TRUE(server_->wait_for_log("refused: alice@example.com is not an administrator"));
    EXPECT_EQ(admin_call("POST", "/api/admin/sessions/close", cookie_, "", json{{"id", 1}}).status,
              403)
        << "a change without the CSRF token";
    EXPECT_EQ(get("/api/admin/users").status, 200);
    EXPECT_EQ(get("/api/admin/nothing").status, 404);

    // Taking the flag away takes effect at once, with the same cookie.
    ASSERT_EQ(server_->cli({"user", "admin", kAdmin, "off"}).exit_code, 0);
    ASSERT_TRUE(server_->wait_for_log("root@example.com is no longer an administrator"));
    EXPECT_EQ(get("/api/admin/users").status, 403);
}

TEST_F(ConsoleAdminTest, ListsShowUsersDevicesAndLiveSessions) {
    auto board = std::make_unique<RawClient>(server_->port());
    board->login(cli_token_);
    board->send_frame(cmd::kInternal, 2, body({"ver", "1.4.0", "fw", "2.1.0", "dev", "ESP32"}));
    EXPECT_TRUE(board->expect_response(2, status::kOk));
    auto phone = logged_in_app();

    json users = body_of(get("/api/admin/users"));
    ASSERT_EQ(users.size(), 2u) << users.dump();
    EXPECT_EQ(users[0]["email"], kEmail);
    EXPECT_EQ(users[0]["admin"], false);
    EXPECT_EQ(users[0]["password"], "app");
    EXPECT_EQ(users[0]["devices"], 1);
    EXPECT_EQ(users[0]["devices_online"], 1);
    EXPECT_EQ(users[0]["app_sessions"], 1);
    EXPECT_EQ(users[1]["email"], kAdmin);
    EXPECT_EQ(users[1]["admin"], true);

    json devices = body_of(get("/api/admin/devices"));
    ASSERT_EQ(devices.size(), 1u) << devices.dump();
    EXPECT_EQ(devices[0]["email"], kEmail);
    EXPECT_EQ(devices[0]["name"], "Board A");
    EXPECT_EQ(devices[0]["token"], cli_token_);
    EXPECT_EQ(devices[0]["online"], true);
    EXPECT_EQ(devices[0]["firmware"], "2.1.0");
    EXPECT_EQ(devices[0]["library"], "1.4.0");

    json sessions = body_of(get("/api/admin/sessions"));
    ASSERT_EQ(sessions.size(), 2u) << sessions.dump();
    EXPECT_EQ(sessions[0]["kind"], "hardware");
    EXPECT_EQ(sessions[0]["device"], "1-0");
    EXPECT_EQ(sessions[0]["address"], "127.0.0.1");
    EXPECT_EQ(sessions[0]["firmware"], "2.1.0");
    EXPECT_GT(sessions[0]["since_ms"].get<int64_t>(), 1'700'000'000'000);
    EXPECT_EQ(sessions[1]["kind"], "app");
    EXPECT_EQ(sessions[1]["email"], kEmail);

    json overview = body_of(get("/api/admin/overview"));
    EXPECT_EQ(overview["users"], 2);
    EXPECT_EQ(overview["devices"], 1);
    EXPECT_EQ(overview["devices_online"], 1);
    EXPECT_EQ(overview["sessions"], json({{"hardware", 1}, {"app", 1}}));
    EXPECT_GT(overview["rss_bytes"].get<int64_t>(), 1'000'000);
    EXPECT_EQ(overview["console_sessions"], 1);
    EXPECT_TRUE(overview["storage"].contains("pending_pins"));
    EXPECT_FALSE(overview["version"].get<std::string>().empty());

    // Disconnecting the board: it is closed, the log says who did it.
    HttpResponse closed = post("/api/admin/sessions/close", {{"id", sessions[0]["id"]}});
    EXPECT_EQ(closed.status, 200) << closed.body;
    EXPECT_TRUE(board->expect_closed());
    EXPECT_TRUE(server_->wait_for_log("disconnected by administrator root@example.com"));
    EXPECT_TRUE(server_->wait_for_log("admin root@example.com: disconnected session"));
    EXPECT_EQ(post("/api/admin/sessions/close", {{"id", 999999}}).status, 404);
    EXPECT_TRUE(phone->raw().open());
}

TEST_F(ConsoleAdminTest, TheEventLogAndMessageRates) {
    auto board = std::make_unique<RawClient>(server_->port());
    board->login(cli_token_);
    board->send_frame(cmd::kEventLog, 2, body({"door_open", "Front door"}));
    board->send_frame(cmd::kEventLog, 3, body({"low_battery", ""}));
    // Events are stored with the next flush (storage.flush.interval.ms=100); the log reads the
    // database, newest first.
    json events;
    for (int i = 0; i < 50; ++i) {
        events = body_of(get("/api/admin/events?email=alice%40example.com&dash=1&device=0"));
        if (events.size() == 2) break;
        std::this_thread::sleep_for(100ms);
    }
    ASSERT_EQ(events.size(), 2u) << events.dump();
    EXPECT_EQ(events[0]["name"], "low_battery");
    EXPECT_EQ(events[1]["name"], "door_open");
    EXPECT_EQ(events[1]["description"], "Front door");
    EXPECT_GT(events[1]["time_ms"].get<int64_t>(), 1'700'000'000'000);
    EXPECT_EQ(
        body_of(get("/api/admin/events?email=alice%40example.com&dash=1&device=0&limit=1")).size(),
        1u);
    EXPECT_EQ(get("/api/admin/events?email=alice%40example.com&dash=1").status, 400);
    EXPECT_EQ(get("/api/admin/events?email=a&dash=1&device=0&limit=5000").status, 400);

    // Frames over more than a sampling second show as a rate.
    for (int i = 0; i < 25; ++i) {
        board->send_frame(cmd::kPing, static_cast<uint16_t>(10 + i));
        EXPECT_TRUE(board->expect_response(static_cast<uint16_t>(10 + i), status::kOk));
        std::this_thread::sleep_for(100ms);
    }
    json overview = body_of(get("/api/admin/overview"));
    EXPECT_GT(overview["messages_per_s"]["hardware"].get<double>(), 1.0) << overview.dump();
}

TEST_F(ConsoleAdminTest, AdministratorsCreateUsersAndManageDevices) {
    HttpResponse made = post("/api/admin/users/create",
                             {{"email", "Bob@Example.com"},
                              {"hash", util::app_password_hash("bob@example.com", "hunter2")},
                              {"admin", false}});
    ASSERT_EQ(made.status, 200) << made.body;
    EXPECT_EQ(body_of(made), json({{"email", "bob@example.com"}, {"admin", false}}));
    EXPECT_EQ(app()->login("bob@example.com", "hunter2"), status::kOk) << "the app can log in";
    EXPECT_EQ(post("/api/admin/users/create", {{"email", "bob@example.com"}, {"hash", "x"}}).status,
              409);
    EXPECT_EQ(post("/api/admin/users/create", {{"email", "nope"}, {"hash", "x"}}).status, 400);
    EXPECT_TRUE(server_->wait_for_log("admin root@example.com: created user bob@example.com"));

    // A device for alice's dashboard 1: the next id, a token that logs in.
    HttpResponse device =
        post("/api/admin/devices/create",
             {{"email", kEmail}, {"dash", 1}, {"name", "Pump"}, {"board", "ESP8266"}});
    ASSERT_EQ(device.status, 200) << device.body;
    const json d = body_of(device);
    EXPECT_EQ(d["device"], 1);
    EXPECT_EQ(d["board"], "ESP8266");
    const std::string token = d["token"];
    ASSERT_EQ(token.size(), 32u);
    auto board = std::make_unique<RawClient>(server_->port());
    board->login(token);
    EXPECT_EQ(
        post("/api/admin/devices/create", {{"email", kEmail}, {"dash", 9}, {"name", "X"}}).status,
        404)
        << "no dashboard 9";

    // A new token: the board on the old one is disconnected; the new one logs in.
    HttpResponse fresh =
        post("/api/admin/devices/refresh-token", {{"email", kEmail}, {"dash", 1}, {"device", 1}});
    ASSERT_EQ(fresh.status, 200) << fresh.body;
    const std::string new_token = body_of(fresh)["token"];
    EXPECT_NE(new_token, token);
    EXPECT_TRUE(board->expect_closed());
    board = std::make_unique<RawClient>(server_->port());
    board->login(new_token);

    // Deleted: closed, gone from the list and from the database.
    EXPECT_EQ(
        post("/api/admin/devices/delete", {{"email", kEmail}, {"dash", 1}, {"device", 1}}).status,
        200);
    EXPECT_TRUE(board->expect_closed());
    EXPECT_EQ(body_of(get("/api/admin/devices")).size(), 1u);
    EXPECT_EQ(
        post("/api/admin/devices/delete", {{"email", kEmail}, {"dash", 1}, {"device", 1}}).status,
        404);
    auto list = server_->cli({"device", "list", kEmail});
    EXPECT_EQ(list.out.find(new_token), std::string::npos) << list.out;
    EXPECT_TRUE(server_->wait_for_log("admin root@example.com: deleted device 1-1 of alice"));
}

}  // namespace
}  // namespace blynk::test
