// Oversized and slow clients of every kind are cut off, and nobody else notices: HTTP (headers
// and bodies too large or trickled), WebSocket devices (messages too large, never reading) and
// apps (frames too large). http_test, abuse_test and app_push_test cover the rest: HTTP 413 and
// clients that stop reading responses, hardware frames, apps that never read.

#include "tests/support/app_client.hpp"
#include "tests/support/app_fixture.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/ws_client.hpp"

namespace blynk::test {
namespace {

using Clock = std::chrono::steady_clock;

class SlowHttpTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"web.request.max.size", "1024"},
                {"http.header.timeout", "1"},
                {"http.body.timeout", "1"}};
    }

    /// Sends `bytes` one every 200 ms after `start` was sent, until the server closes; returns
    /// how long the connection lasted (up to 5 s).
    Clock::duration trickle(const std::string& start, const std::string& bytes) {
        RawClient c(server_->port());
        const auto began = Clock::now();
        c.send(start);
        for (char byte : bytes) {
            if (!c.open() || Clock::now() - began > 5s) break;
            try {
                c.send(std::string(1, byte));
            } catch (const std::exception&) {
                break;  // closed meanwhile
            }
            std::this_thread::sleep_for(200ms);
        }
        EXPECT_TRUE(c.expect_closed(5s));
        return Clock::now() - began;
    }

    void expect_others_served() {
        EXPECT_EQ(http_call(server_->port(), "GET", "/" + token_a_ + "/isHardwareConnected").body,
                  "false");
    }
};

TEST_F(SlowHttpTest, HeadersOver8KiBGet431) {
    RawClient c(server_->port());
    c.send("GET /" + token_a_ + "/get/V1 HTTP/1.1\r\nX-Filler: " + std::string(9000, 'a') +
           "\r\n\r\n");
    auto r = read_http_response(c);
    EXPECT_EQ(r.status, 431);
    EXPECT_EQ(r.body, "Request header fields too large.\n");
    EXPECT_TRUE(c.expect_closed());
    expect_others_served();
}

TEST_F(SlowHttpTest, TricklingAHeaderDoesNotExtendItsDeadline) {
    // Slowloris: each byte well within the timeout, the whole header never.
    const auto lasted =
        trickle("GET /" + token_a_ + "/get/V1 HTTP/1.1\r\n", "Host: localhost\r\nX-A: b\r\n");
    EXPECT_GE(lasted, 800ms);
    EXPECT_LT(lasted, 2500ms) << "the header deadline moved with the trickle";
    EXPECT_TRUE(server_->wait_for_log("request header not received within 1 s"));
    expect_others_served();
}

TEST_F(SlowHttpTest, TricklingABodyDoesNotExtendItsDeadline) {
    const auto lasted = trickle("PUT /" + token_a_ +
                                    "/update/V1 HTTP/1.1\r\nContent-Type: application/json\r\n"
                                    "Content-Length: 40\r\n\r\n",
                                "[\"1234567890123456789012345678901234\"]");
    EXPECT_LT(lasted, 2500ms) << "the body deadline moved with the trickle";
    EXPECT_TRUE(server_->wait_for_log("request body not received within 1 s"));
    expect_others_served();
}

class SlowWebSocketTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        // With the default quota most syncs below would be dropped, not answered.
        return {{"user.message.quota.limit", "1000000"}};
    }

    std::unique_ptr<WsClient> logged_in_ws(const std::string& token) {
        auto c = std::make_unique<WsClient>(server_->port(), WsClient::Options{});
        c->send(frame(cmd::kHardwareLogin, 1, token));
        EXPECT_TRUE(c->expect_message(response(1, status::kOk)));
        return c;
    }

    void expect_bystander_fine() {
        auto bystander = logged_in(token_b_);
        bystander->send_frame(cmd::kPing, 2);
        EXPECT_TRUE(bystander->expect_response(2, status::kOk));
    }
};

TEST_F(SlowWebSocketTest, AMessageOverTheLimitClosesTheSession) {
    auto c = logged_in_ws(token_a_);
    try {
        c->send(std::string(65536 + 5 + 1, '\x14'));  // one byte over the largest message
    } catch (const std::exception&) {
        // refused (and closed) before the whole message was written
    }
    EXPECT_TRUE(c->expect_closed(3s));
    EXPECT_TRUE(server_->wait_for_log("disconnect: hardware ws"));
    expect_bystander_fine();
}

TEST_F(SlowWebSocketTest, ADeviceThatNeverReadsIsClosedNotBuffered) {
    auto hog = logged_in_ws(token_a_);
    std::string writes;
    for (int pin = 0; pin < 64; ++pin)
        writes +=
            frame(cmd::kHardware, 2, body({"vw", std::to_string(pin), std::string(900, 'x')}));
    hog->send(writes);
    // Each sync is answered with 64 messages of ~910 bytes; 2000 of them are ~116 MB.
    std::string syncs;
    for (int i = 0; i < 100; ++i)
        syncs += frame(cmd::kHardwareSync, 3);
    try {
        for (int i = 0; i < 20; ++i)
            hog->send(syncs);
    } catch (const std::exception&) {
        // closed by the server: that is the point
    }
    EXPECT_TRUE(server_->wait_for_log("peer reads too slowly", 10s));
    EXPECT_TRUE(server_->wait_for_log("disconnect: hardware ws"));
    expect_bystander_fine();
}

class OversizedAppFrameTest : public AppTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"user.profile.max.size", "1"}};  // KB: app frames up to 1024 bytes
    }

    /// The 7-byte header of an app frame that declares `length` body bytes (none follow).
    static std::string header_declaring(uint8_t command, size_t length) {
        return app_frame(command, 9, std::string(length, 'x')).substr(0, 7);
    }
};

TEST_F(OversizedAppFrameTest, BeforeLoginAFrameOver1KiBClosesWithoutWaitingForIt) {
    auto a = app();
    a->raw().send(header_declaring(cmd::kLogin, 1025));
    EXPECT_TRUE(a->raw().expect_closed());
    EXPECT_TRUE(server_->wait_for_log("frame body of 1025 bytes over the limit of 1024"));
}

TEST_F(OversizedAppFrameTest, AfterLoginAFrameOverTheProfileLimitClosesWithoutWaitingForIt) {
    auto a = logged_in_app();
    a->raw().send(header_declaring(cmd::kCreateDash, 1024 * 1024));
    EXPECT_TRUE(a->raw().expect_closed());
    EXPECT_TRUE(server_->wait_for_log("frame body of 1048576 bytes over the limit of 1024"));
    EXPECT_EQ(logged_in_app()->login(kEmail, kPassword, 2), status::kUserAlreadyRegistered)
        << "the user's other sessions work";
}

}  // namespace
}  // namespace blynk::test
