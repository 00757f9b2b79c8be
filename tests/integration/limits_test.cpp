// Limits against floods and guessing: connections per token, wrong tokens per address, REST
// writes per token.

#include "tests/support/fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/occurrences.hpp"

namespace blynk::test {
namespace {

using Clock = std::chrono::steady_clock;

class TokenConnectionLimitTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"hard.socket.max.per.token", "3"}};
    }
};

TEST_F(TokenConnectionLimitTest, LoginsOverTheLimitGetNotAllowedAndAreClosed) {
    std::vector<std::unique_ptr<RawClient>> boards;
    for (int i = 0; i < 3; ++i)
        boards.push_back(logged_in(token_a_));
    for (int i = 0; i < 2; ++i) {
        auto extra = connect();
        extra->send_frame(cmd::kHardwareLogin, 1, token_a_);
        // NOT_ALLOWED, not INVALID_TOKEN: the JavaScript client gives up for good on the latter.
        EXPECT_TRUE(extra->expect_response(1, status::kNotAllowed));
        EXPECT_TRUE(extra->expect_closed());
    }
    EXPECT_TRUE(server_->wait_for_log("has 3 connections already (hard.socket.max.per.token)"));
    EXPECT_EQ(occurrences(server_->log(), "(hard.socket.max.per.token)"), 1u)
        << "refusals are logged at most once a minute";
    EXPECT_EQ(server_->log().find(token_a_), std::string::npos) << "a whole token was logged";

    auto other_token = logged_in(token_b_);  // the limit is per token
    for (auto& board : boards) {
        board->send_frame(cmd::kPing, 2);
        EXPECT_TRUE(board->expect_response(2, status::kOk)) << "the first three are unaffected";
    }
    boards.pop_back();  // a place frees up once the server has seen the close
    EXPECT_TRUE(server_->wait_for_log(": closed by peer"));
    logged_in(token_a_);
}

// Wrong tokens from 127.0.0.2: nine answered at once, then slower answers, then a block that
// ends. One I/O thread: a delayed answer must not hold it (127.0.0.1 logs in meanwhile).
class WrongTokenTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"hardware.login.failures.per.address", "12"},
                {"login.lockout", "6"},  // the window too: longer than the test's 11 failures
                {"login.timeout", "60"},
                {"server.worker.threads", "1"}};
    }

    /// Sends a wrong token with `id` and returns how long INVALID_TOKEN took (fails the test
    /// when it does not come).
    Clock::duration wrong_token(RawClient& c, uint16_t id) {
        const auto sent = Clock::now();
        c.send_frame(cmd::kHardwareLogin, id, "wrong-token-" + std::to_string(id));
        EXPECT_TRUE(c.expect_response(id, status::kInvalidToken, 5s)) << "wrong token " << id;
        return Clock::now() - sent;
    }

    std::unique_ptr<RawClient> from_scanner() {
        return std::make_unique<RawClient>(server_->port(), "127.0.0.2");
    }
};

TEST_F(WrongTokenTest, ATypoGetsNineQuickAnswersAScannerSlowerOnesThenABlockThatEnds) {
    auto scanner = from_scanner();
    for (uint16_t id = 1; id <= 9; ++id)
        EXPECT_LT(wrong_token(*scanner, id), 500ms)
            << "wrong token " << id << " is answered at once";

    // The 10th waits a second; the right token from another address meanwhile does not.
    const auto sent = Clock::now();
    scanner->send_frame(cmd::kHardwareLogin, 10, "wrong-token-10");
    const auto board_started = Clock::now();
    auto board = logged_in(token_a_);
    EXPECT_LT(Clock::now() - board_started, 800ms) << "a login from 127.0.0.1 was held up";
    EXPECT_TRUE(scanner->expect_response(10, status::kInvalidToken, 5s));
    EXPECT_GE(Clock::now() - sent, 900ms);
    EXPECT_GE(wrong_token(*scanner, 11), 1900ms) << "the delay doubles";

    // The 12th reaches hardware.login.failures.per.address: closed, no answer.
    scanner->send_frame(cmd::kHardwareLogin, 12, "wrong-token-12");
    EXPECT_TRUE(scanner->expect_closed(1s));
    const auto blocked_at = Clock::now();
    EXPECT_TRUE(server_->wait_for_log("hardware logins from 127.0.0.2 blocked for 6 s"));
    // While blocked even the right token is closed unanswered, and the block is logged once.
    for (int i = 0; i < 3; ++i) {
        auto again = from_scanner();
        again->send_frame(cmd::kHardwareLogin, 1, token_b_);
        EXPECT_TRUE(again->expect_closed(1s)) << "attempt " << i << " during the block";
    }
    EXPECT_EQ(occurrences(server_->log(), "hardware logins from 127.0.0.2 blocked"), 1u);
    logged_in(token_b_);  // 127.0.0.1 is not blocked
    board->send_frame(cmd::kPing, 2);
    EXPECT_TRUE(board->expect_response(2, status::kOk));

    // The block ends after login.lockout seconds.
    std::this_thread::sleep_until(blocked_at + 6200ms);
    auto after = from_scanner();
    after->send_frame(cmd::kHardwareLogin, 1, token_b_);
    EXPECT_TRUE(after->expect_response(1, status::kOk));
}

// REST writes with one token: user.message.quota.limit per second, then 429.
class RestQuotaTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"user.message.quota.limit", "5"}};
    }
};

TEST_F(RestQuotaTest, WritesOverTheTokensQuotaGet429AndReadsAndOtherTokensDoNot) {
    RawClient c(server_->port());
    std::string requests;
    for (int i = 0; i < 20; ++i)
        requests += http_request("GET", "/" + token_a_ + "/update/V1?value=" + std::to_string(i));
    c.send(requests);  // pipelined: all within a few milliseconds
    int ok = 0, refused = 0;
    HttpResponse last_refusal;
    for (int i = 0; i < 20; ++i) {
        auto r = read_http_response(c);
        if (r.status == 200) ++ok;
        if (r.status == 429) {
            ++refused;
            last_refusal = r;
        }
    }
    EXPECT_GE(ok, 5) << "a second's worth passes at once";
    EXPECT_LE(ok, 10) << "5 + what refills while the 20 are answered (well under a second)";
    EXPECT_EQ(ok + refused, 20);
    EXPECT_EQ(last_refusal.body,
              "Too many requests. Writes with this token are limited to 5 per second.");
    EXPECT_EQ(last_refusal.header("retry-after"), "1");
    EXPECT_EQ(last_refusal.header("access-control-allow-origin"), "*");

    const std::string t = "/" + token_a_;
    EXPECT_EQ(http_call(server_->port(), "GET", t + "/get/V1").status, 200) << "reads are free";
    EXPECT_EQ(http_call(server_->port(), "PUT", "/" + token_b_ + "/update/V1", "[\"1\"]",
                        "application/json")
                  .status,
              200)
        << "the quota is per token";
    EXPECT_TRUE(server_->wait_for_log("REST writes over user.message.quota.limit (5/s)"));
    EXPECT_EQ(occurrences(server_->log(), "REST writes over user.message.quota.limit"), 1u)
        << "logged at most once a minute per device";

    std::this_thread::sleep_for(1100ms);  // the bucket refills
    EXPECT_EQ(http_call(server_->port(), "GET", t + "/update/V1?value=later").status, 200);
    EXPECT_EQ(http_call(server_->port(), "GET", t + "/get/V1").body, R"(["later"])");
}

}  // namespace
}  // namespace blynk::test
