// Shared dashboards (server-surface.md §5.1-5.3): a guest logs in with the owner's e-mail and a
// dashboard's share token (SHARE_LOGIN) and then sees and controls that one dashboard, with the
// smaller command set of the Java server's shared sessions.

#include "tests/support/app_fixture.hpp"

namespace blynk::test {
namespace {

class AppShareTest : public AppTest {
protected:
    /// The owner's session: dashboard 7 with a device of its own (token in board7_token_),
    /// shared, both dashboards active. Returns the share token.
    std::string share_dashboard(AppClient& owner) {
        owner.send(cmd::kCreateDash, 2, kDashboard);
        EXPECT_TRUE(owner.expect_response(2, status::kOk));
        json device = create_device(owner, 0, 3);
        board7_token_ = device.value("token", "");
        EXPECT_EQ(board7_token_.size(), 32u);
        owner.send(cmd::kSharing, 4, body({"7", "on"}));
        EXPECT_TRUE(owner.expect_response(4, status::kOk));
        owner.send(cmd::kActivateDashboard, 5, "7");
        EXPECT_TRUE(owner.expect_response(5, status::kDeviceNotInNetwork));
        owner.send(cmd::kActivateDashboard, 6, "1");
        EXPECT_TRUE(owner.expect_response(6, status::kDeviceNotInNetwork));
        return owner.request(cmd::kGetShareToken, 7, "7");
    }

    /// SHARE_LOGIN as the official app sends it; returns the answer's status.
    static uint32_t share_login(AppClient& guest, const std::string& email,
                                const std::string& token, uint16_t id = 1) {
        guest.send(cmd::kShareLogin, id, body({email, token, "Android", "24"}));
        auto reply = guest.read_frame();
        if (!reply || reply->command != cmd::kResponse || reply->id != id) return 0;
        return reply->status;
    }

    std::string board7_token_;
};

TEST_F(AppShareTest, AGuestSeesAndControlsOnlyTheSharedDashboard) {
    auto owner = logged_in_app();
    const std::string share = share_dashboard(*owner);
    ASSERT_EQ(share.size(), 32u);
    auto guest = app();
    ASSERT_EQ(share_login(*guest, "Alice@Example.com", share), status::kOk)
        << "the e-mail is not case-sensitive";
    EXPECT_TRUE(server_->wait_for_log("share login ok: app tcp 127.0.0.1"));

    // Boards of both dashboards come online: the guest hears only of its dashboard's.
    auto board1 = board(cli_token_);
    EXPECT_TRUE(owner->expect_frame(cmd::kHardwareConnected, 1, "1-0"));
    auto board7 = board(board7_token_);
    EXPECT_TRUE(owner->expect_frame(cmd::kHardwareConnected, 1, "7-0"));
    EXPECT_TRUE(board7->expect_frame(cmd::kHardware, 1, body({"pm", "13", "out"})));
    board1->send_frame(cmd::kHardware, 8, body({"vw", "5", "1"}));
    EXPECT_TRUE(owner->expect_frame(cmd::kHardware, 8, body({"1-0", "vw", "5", "1"})));
    board7->send_frame(cmd::kHardware, 9, body({"vw", "5", "42"}));
    EXPECT_TRUE(owner->expect_frame(cmd::kHardware, 9, body({"7-0", "vw", "5", "42"})));
    // In order: nothing of dashboard 1 came before these.
    EXPECT_TRUE(guest->expect_frame(cmd::kHardwareConnected, 1, "7-0"));
    EXPECT_TRUE(guest->expect_frame(cmd::kHardware, 9, body({"7-0", "vw", "5", "42"})));

    // The guest switches D13: the board gets it, the owner an APP_SYNC echo.
    guest->send(cmd::kHardware, 5, body({"7-0", "dw", "13", "1"}));
    EXPECT_TRUE(board7->expect_frame(cmd::kHardware, 5, body({"dw", "13", "1"})));
    EXPECT_TRUE(owner->expect_frame(cmd::kAppSync, 5, body({"7-0", "dw", "13", "1"})));
    // ... and the owner's writes reach the guest as APP_SYNC.
    owner->send(cmd::kHardware, 10, body({"7-0", "vw", "5", "7"}));
    EXPECT_TRUE(board7->expect_frame(cmd::kHardware, 10, body({"vw", "5", "7"})));
    EXPECT_TRUE(guest->expect_frame(cmd::kAppSync, 10, body({"7-0", "vw", "5", "7"})));
    // Dashboard 1 does not exist for the guest.
    guest->send(cmd::kHardware, 6, body({"1-0", "vw", "5", "2"}));
    EXPECT_TRUE(guest->expect_response(6, status::kIllegalCommand));
    EXPECT_TRUE(board1->expect_silence());

    // The profile: one dashboard, its device without its token.
    json p = profile(*guest, 11);
    ASSERT_TRUE(p.is_object()) << "not JSON";
    ASSERT_EQ(p["dashBoards"].size(), 1u) << p.dump();
    const json& dash = p["dashBoards"][0];
    EXPECT_EQ(dash["id"], 7);
    EXPECT_EQ(dash["widgets"][0]["value"], "1");
    EXPECT_EQ(dash["widgets"][1]["value"], "7");
    ASSERT_EQ(dash["devices"].size(), 1u);
    EXPECT_EQ(dash["devices"][0]["status"], "ONLINE");
    EXPECT_FALSE(dash["devices"][0].contains("token")) << "a guest must not pose as the board";
    EXPECT_EQ(profile(*owner)["dashBoards"].size(), 2u) << "the owner still sees both";
    guest->send(cmd::kLoadProfileGzipped, 12, "1");
    EXPECT_TRUE(guest->expect_response(12, status::kIllegalCommand));

    json devices = json::parse(guest->request(cmd::kGetDevices, 13, "7"), nullptr, false);
    ASSERT_TRUE(devices.is_array());
    ASSERT_EQ(devices.size(), 1u);
    EXPECT_EQ(devices[0]["name"], "Pump");
    EXPECT_FALSE(devices[0].contains("token"));
    guest->send(cmd::kGetDevices, 14, "1");
    EXPECT_TRUE(guest->expect_response(14, status::kIllegalCommand));

    // APP_SYNC replays that dashboard's values.
    guest->send(cmd::kAppSync, 15, "7");
    EXPECT_TRUE(guest->expect_response(15, status::kOk));
    EXPECT_TRUE(guest->expect_frame(cmd::kAppSync, 1111, body({"7-0", "dw", "13", "1"})));
    EXPECT_TRUE(guest->expect_frame(cmd::kAppSync, 1111, body({"7-0", "vw", "5", "7"})));

    // The owner's commands are not the guest's.
    guest->send(cmd::kDeleteDash, 16, "7");
    EXPECT_TRUE(guest->expect_response(16, status::kNotAllowed));
    guest->send(cmd::kRefreshShareToken, 17, "7");
    EXPECT_TRUE(guest->expect_response(17, status::kNotAllowed));
    guest->send(cmd::kCreateDash, 18, R"({"id":9,"name":"Mine"})");
    EXPECT_TRUE(guest->expect_response(18, status::kNotAllowed));
    guest->send(cmd::kPing, 19);
    EXPECT_TRUE(guest->expect_response(19, status::kOk));
    EXPECT_EQ(profile(*owner, 20)["dashBoards"].size(), 2u);
}

TEST_F(AppShareTest, WrongTokensAreRefusedAndLockOnlyShareLogins) {
    auto owner = logged_in_app();
    const std::string share = share_dashboard(*owner);
    auto guest = app();
    guest->send(cmd::kShareLogin, 1, kEmail);
    EXPECT_TRUE(guest->expect_response(1, status::kIllegalCommand)) << "no token";
    EXPECT_EQ(share_login(*guest, "nobody@example.com", share, 2), status::kNotAllowed);
    // Five failures for the account (login.failures.per.account): share logins to it lock...
    for (uint16_t id = 3; id < 8; ++id)
        EXPECT_EQ(share_login(*guest, kEmail, std::string(32, 'x'), id), status::kNotAllowed);
    EXPECT_TRUE(server_->wait_for_log("login: too many failures for share:alice@example.com"));
    EXPECT_EQ(share_login(*guest, kEmail, share, 8), status::kNotAllowed) << "locked";
    EXPECT_TRUE(server_->wait_for_log("share login refused: alice@example.com from 127.0.0.1"));
    // ... but the owner still logs in.
    EXPECT_EQ(app()->login(kEmail, kPassword), status::kOk);
}

TEST_F(AppShareTest, AnUnsharedDashboardRefusesItsToken) {
    auto owner = logged_in_app();
    const std::string share = share_dashboard(*owner);
    owner->send(cmd::kSharing, 8, body({"7", "off"}));
    EXPECT_TRUE(owner->expect_response(8, status::kOk));
    EXPECT_EQ(share_login(*app(), kEmail, share), status::kNotAllowed);
}

TEST_F(AppShareTest, GuestsAreClosedWhenTheirAccessEnds) {
    auto owner = logged_in_app();
    const std::string share = share_dashboard(*owner);

    // A refreshed token: NOT_ALLOWED with the refresh's id, then closed, as the Java server did.
    auto guest1 = app();
    ASSERT_EQ(share_login(*guest1, kEmail, share), status::kOk);
    const std::string refreshed = owner->request(cmd::kRefreshShareToken, 9, "7");
    EXPECT_TRUE(guest1->expect_response(9, status::kNotAllowed));
    EXPECT_TRUE(guest1->raw().expect_closed());
    EXPECT_TRUE(server_->wait_for_log("share token refreshed"));
    EXPECT_EQ(share_login(*app(), kEmail, share), status::kNotAllowed) << "the old token";

    // Sharing turned off: the echo, then closed.
    auto guest2 = app();
    ASSERT_EQ(share_login(*guest2, kEmail, refreshed), status::kOk);
    owner->send(cmd::kSharing, 10, body({"7", "off"}));
    EXPECT_TRUE(owner->expect_response(10, status::kOk));
    EXPECT_TRUE(guest2->expect_frame(cmd::kSharing, 10, body({"7", "off"})));
    EXPECT_TRUE(guest2->raw().expect_closed());

    // The dashboard deleted: closed.
    owner->send(cmd::kSharing, 11, body({"7", "on"}));
    EXPECT_TRUE(owner->expect_response(11, status::kOk));
    auto guest3 = app();
    ASSERT_EQ(share_login(*guest3, kEmail, refreshed), status::kOk);
    owner->send(cmd::kDeleteDash, 12, "7");
    EXPECT_TRUE(owner->expect_response(12, status::kOk));
    EXPECT_TRUE(guest3->raw().expect_closed());
    EXPECT_TRUE(owner->raw().open()) << "the owner stays";
}

TEST_F(AppShareTest, TheShareTokenSurvivesARestart) {
    std::string share;
    {
        auto owner = logged_in_app();
        share = share_dashboard(*owner);
    }
    ASSERT_EQ(server_->stop(), 0);
    server_->start();
    auto guest = app();
    EXPECT_EQ(share_login(*guest, kEmail, share), status::kOk);
    json p = profile(*guest);
    ASSERT_EQ(p["dashBoards"].size(), 1u) << p.dump();
    EXPECT_EQ(p["dashBoards"][0]["name"], "Garden");
}

}  // namespace
}  // namespace blynk::test
