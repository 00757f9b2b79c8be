// The app's dashboard, device and account commands one by one, with their exact answers
// (server-surface.md §5.2).

#include "server/store/store.hpp"
#include "tests/support/app_fixture.hpp"

namespace blynk::test {
namespace {

TEST_F(AppTest, DashboardCommands) {
    auto a = logged_in_app();
    auto other = logged_in_app();
    a->send(cmd::kCreateDash, 2, kDashboard);
    EXPECT_TRUE(a->expect_response(2, status::kOk));
    a->send(cmd::kCreateDash, 3, kDashboard);
    EXPECT_TRUE(a->expect_response(3, status::kNotAllowed)) << "duplicate id";
    a->send(cmd::kCreateDash, 4, "{not json");
    EXPECT_TRUE(a->expect_response(4, status::kIllegalCommand));

    a->send(cmd::kUpdateProjectSettings, 5, body({"7", R"({"name":"Yard","theme":"White"})"}));
    EXPECT_TRUE(a->expect_response(5, status::kOk));
    a->send(cmd::kSharing, 6, body({"7", "on"}));
    EXPECT_TRUE(a->expect_response(6, status::kOk));
    EXPECT_TRUE(other->expect_frame(cmd::kSharing, 6, body({"7", "on"})));
    const std::string share = a->request(cmd::kGetShareToken, 7, "7");
    EXPECT_EQ(share.size(), 32u);
    EXPECT_EQ(a->request(cmd::kGetShareToken, 8, "7"), share) << "the same until refreshed";
    const std::string refreshed = a->request(cmd::kRefreshShareToken, 9, "7");
    EXPECT_EQ(refreshed.size(), 32u);
    EXPECT_NE(refreshed, share);

    a->send(cmd::kActivateDashboard, 10, "7");
    EXPECT_TRUE(a->expect_response(10, status::kDeviceNotInNetwork)) << "no device online";
    EXPECT_TRUE(other->expect_frame(cmd::kActivateDashboard, 10, "7"));
    a->send(cmd::kDeactivateDashboard, 11, "7");
    EXPECT_TRUE(a->expect_response(11, status::kOk));
    EXPECT_TRUE(other->expect_frame(cmd::kDeactivateDashboard, 11, "7"));

    json p = json::parse(a->request(cmd::kLoadProfileGzipped, 12, "7"), nullptr, false);
    EXPECT_EQ(p["name"], "Yard");
    EXPECT_EQ(p["theme"], "White");
    EXPECT_EQ(p["isShared"], true);
    EXPECT_FALSE(p.contains("isActive")) << "false flags are left out, as Java did";

    EXPECT_EQ(a->request(cmd::kGetEnergy, 13), "1000000");
    a->send(cmd::kAddEnergy, 14, body({"100", "tx"}));
    EXPECT_TRUE(a->expect_response(14, status::kOk));
    a->send(cmd::kEmail, 15, "7");
    EXPECT_TRUE(a->expect_response(15, status::kNotificationError)) << "mail is off";

    a->send(cmd::kDeleteDash, 16, "7");
    EXPECT_TRUE(a->expect_response(16, status::kOk));
    a->send(cmd::kDeleteDash, 17, "7");
    EXPECT_TRUE(a->expect_response(17, status::kIllegalCommand));
}

TEST_F(AppTest, DeviceCommands) {
    auto a = logged_in_app();
    auto hw = std::make_unique<RawClient>(server_->port());
    hw->login(cli_token_);
    EXPECT_TRUE(a->expect_frame(cmd::kHardwareConnected, 1, "1-0"));

    json device =
        json::parse(a->request(cmd::kMobileGetDevice, 2, body({"1", "0"})), nullptr, false);
    EXPECT_EQ(device["name"], "Board A");
    EXPECT_EQ(device["status"], "ONLINE");
    a->send(cmd::kUpdateDevice, 3,
            body({"1", R"({"id":0,"name":"Porch","boardType":"ESP8266","iconName":"lamp"})"}));
    EXPECT_TRUE(a->expect_response(3, status::kOk));
    a->send(cmd::kUpdateDevice, 4, body({"1", R"({"id":9,"name":"x","boardType":"ESP8266"})"}));
    EXPECT_TRUE(a->expect_response(4, status::kIllegalCommandBody)) << "unknown device";
    a->send(cmd::kCreateDevice, 5, body({"1", R"({"id":1,"name":"No board type"})"}));
    EXPECT_TRUE(a->expect_response(5, status::kIllegalCommand));
    a->send(cmd::kCreateDevice, 6, body({"1", R"({"id":0,"name":"Dup","boardType":"ESP32"})"}));
    EXPECT_TRUE(a->expect_response(6, status::kNotAllowed)) << "id 0 is taken";

    json list = json::parse(a->request(cmd::kGetDevices, 7, "1"), nullptr, false);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["name"], "Porch");
    EXPECT_EQ(list[0]["boardType"], "ESP8266");
    EXPECT_EQ(list[0]["iconName"], "lamp");

    a->send(cmd::kDeleteDevice, 8, body({"1", "0"}));
    EXPECT_TRUE(a->expect_response(8, status::kOk));
    EXPECT_TRUE(hw->expect_closed()) << "its board is disconnected";
    auto again = std::make_unique<RawClient>(server_->port());
    again->send_frame(cmd::kHardwareLogin, 1, cli_token_);
    EXPECT_TRUE(again->expect_response(1, status::kInvalidToken));
    auto listed = server_->cli({"device", "list", kEmail});
    EXPECT_EQ(listed.out.find(cli_token_), std::string::npos) << listed.out;
}

TEST_F(AppTest, PushTokensAreStoredAndLogoutRemovesThem) {
    auto a = logged_in_app();
    a->send(cmd::kAddPushToken, 2, body({"1", "phone-uid", "fcm-token"}));
    EXPECT_TRUE(a->expect_response(2, status::kOk));
    a->send(cmd::kPing, 3);  // the token is written on the storage thread before the ping's turn
    EXPECT_TRUE(a->expect_response(3, status::kOk));
    ASSERT_EQ(server_->stop(), 0);
    auto stored = [&] {
        store::Store db(server_->database_location());
        for (const auto& user : db.load_all())
            if (user.email == kEmail) return user.push_tokens;
        return std::vector<model::PushToken>{};
    };
    auto tokens = stored();
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0].uid, "phone-uid");
    EXPECT_EQ(tokens[0].token, "fcm-token");
    EXPECT_EQ(tokens[0].os, "android");

    server_->start();
    auto b = logged_in_app();
    b->send(cmd::kLogout, 4, "phone-uid");
    EXPECT_TRUE(b->expect_response(4, status::kOk));
    EXPECT_TRUE(b->raw().expect_closed());
    ASSERT_EQ(server_->stop(), 0);
    EXPECT_TRUE(stored().empty());
}

}  // namespace
}  // namespace blynk::test
