#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

// hard.socket.idle.timeout=1 gives a read-idle timeout of ceil(2.3 x 1) = 3 s.
class HeartbeatTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"hard.socket.idle.timeout", "1"}};
    }
};

TEST_F(HeartbeatTest, SilentDeviceIsDisconnectedAfterTheIdleTimeout) {
    auto c = logged_in(token_a_);
    auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(c->expect_closed(8s));
    auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_GE(elapsed, 2500ms);
    EXPECT_TRUE(server_->wait_for_log("idle for 3 s"));
}

TEST_F(HeartbeatTest, PingsKeepTheConnectionAlive) {
    auto c = logged_in(token_a_);
    for (uint16_t id = 2; id < 8; ++id) {
        std::this_thread::sleep_for(1s);
        c->send_frame(cmd::kPing, id);
        ASSERT_TRUE(c->expect_response(id, status::kOk));
    }
}

TEST_F(HeartbeatTest, HeartbeatFromInfoSetsTheTimeout) {
    auto c = logged_in(token_a_);
    // h-beat 3 -> ceil(6.9) = 7 s instead of 3 s.
    c->send_frame(cmd::kInternal, 2, body({"ver", "0.6.1", "h-beat", "3"}));
    ASSERT_TRUE(c->expect_response(2, status::kOk));
    auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(c->expect_silence(4500ms)) << "closed before the h-beat timeout";
    EXPECT_TRUE(c->expect_closed(6s));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 6500ms);
    EXPECT_TRUE(server_->wait_for_log("idle for 7 s"));
}

}  // namespace
}  // namespace blynk::test
