#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

using LoginTest = ServerTest;

TEST_F(LoginTest, HardwareLoginAnswers200WithTheLoginId) {
    auto c = connect();
    c->send_frame(cmd::kHardwareLogin, 1, token_a_);
    EXPECT_TRUE(c->expect(std::string("\x00\x00\x01\x00\xc8", 5)));
    c->send_frame(cmd::kPing, 2);
    EXPECT_TRUE(c->expect_response(2, status::kOk));
    EXPECT_TRUE(server_->wait_for_log("login ok: hardware tcp"));
}

TEST_F(LoginTest, LegacyLoginCommand2AndOtherIdsWork) {
    auto c = connect();
    c->send_frame(cmd::kLogin, 7, token_a_);
    EXPECT_TRUE(c->expect_response(7, status::kOk));
}

TEST_F(LoginTest, TokenIsTrimmedLikeTheJavaServer) {
    auto c = connect();
    c->send_frame(cmd::kHardwareLogin, 1, token_a_ + std::string("\0\r\n", 3));
    EXPECT_TRUE(c->expect_response(1, status::kOk));
}

TEST_F(LoginTest, UnknownTokenGets9AndTheConnectionStaysOpen) {
    auto c = connect();
    c->send_frame(cmd::kHardwareLogin, 1, std::string(32, 'x'));
    EXPECT_TRUE(c->expect_response(1, status::kInvalidToken));
    EXPECT_TRUE(c->expect_silence(200ms));
    c->send_frame(cmd::kHardwareLogin, 2, token_a_);
    EXPECT_TRUE(c->expect_response(2, status::kOk));
    EXPECT_TRUE(server_->wait_for_log("login rejected: unknown token xxxx…(32)"));
    EXPECT_EQ(server_->log().find(std::string(32, 'x')), std::string::npos)
        << "a whole token was logged";
}

TEST_F(LoginTest, ShortTokensAreLookedUpToo) {
    auto c = connect();
    c->send_frame(cmd::kHardwareLogin, 1, "abc");
    EXPECT_TRUE(c->expect_response(1, status::kInvalidToken));
}

TEST_F(LoginTest, SecondLoginOnTheSameConnectionGets4) {
    auto c = logged_in(token_a_);
    c->send_frame(cmd::kHardwareLogin, 3, token_a_);
    EXPECT_TRUE(c->expect_response(3, status::kUserAlreadyRegistered));
    c->send_frame(cmd::kHardwareLogin, 4, token_b_);
    EXPECT_TRUE(c->expect_response(4, status::kUserAlreadyRegistered));
}

TEST_F(LoginTest, AnyOtherFrameBeforeLoginClosesWithoutReply) {
    for (uint8_t command : {cmd::kPing, cmd::kHardware, cmd::kResponse}) {
        auto c = connect();
        c->send_frame(command, 2,
                      command == cmd::kHardware ? "vw\0"
                                                  "1\0"
                                                  "1"
                                                : "");
        EXPECT_TRUE(c->expect_closed()) << "command " << int(command);
    }
    EXPECT_TRUE(server_->wait_for_log("PING before login"));
}

TEST_F(LoginTest, LoginPipelinedWithMoreFramesProcessesThemAll) {
    auto c = connect();
    // Login, info, sync and ping in one packet, as fast clients send them.
    c->send(frame(cmd::kHardwareLogin, 1, token_a_) +
            frame(cmd::kInternal, 2, body({"ver", "0.6.1", "h-beat", "10", "buff-in", "1024"})) +
            frame(cmd::kHardware, 3, body({"vw", "4", "x"})) + frame(cmd::kPing, 4));
    EXPECT_TRUE(c->expect(response(1, 200) + response(2, 200) + response(4, 200)));
}

TEST_F(LoginTest, WrongThenRightTokenInOnePacket) {
    auto c = connect();
    c->send(frame(cmd::kHardwareLogin, 1, std::string(32, 'q')) +
            frame(cmd::kHardwareLogin, 2, token_a_) + frame(cmd::kPing, 3));
    EXPECT_TRUE(c->expect(response(1, 9) + response(2, 200) + response(3, 200)));
}

class LoginDeadlineTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"login.timeout", "1"}};
    }
};

TEST_F(LoginDeadlineTest, SilentSocketIsClosedAfterTheLoginDeadline) {
    auto c = connect();
    auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(c->expect_closed(5s));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms);
    EXPECT_TRUE(server_->wait_for_log("no protocol detected within 1 s"));
}

TEST_F(LoginDeadlineTest, TricklingBytesDoNotExtendTheLoginDeadline) {
    auto c = connect();
    std::string login = frame(cmd::kHardwareLogin, 1, token_a_);
    c->send(login.substr(0, 2));  // a partial header, then nothing useful
    std::this_thread::sleep_for(500ms);
    c->send(login.substr(2, 1));
    EXPECT_TRUE(c->expect_closed(5s));
}

}  // namespace
}  // namespace blynk::test
