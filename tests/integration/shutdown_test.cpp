// SIGTERM with every kind of connection open: handshakes half done, TLS connections not logged
// in, logged-in hardware and app sessions. The process must close them all, exit 0 promptly and
// keep what was written before the signal (run under the sanitizers too: destroying the
// io_context after what its handlers use shows there).

#include "tests/support/app_fixture.hpp"

namespace blynk::test {
namespace {

const std::string kHelloStart("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);

TlsOptions any_certificate() {
    return TlsOptions{};
}

class ShutdownTest : public AppTest {
protected:
    std::map<std::string, std::string> settings() const override {
        // Long deadlines: nothing may close because of them during the test.
        return {{"storage.flush.interval.ms", "60000"},
                {"login.timeout", "60"},
                {"tls.handshake.timeout", "60"}};
    }
};

TEST_F(ShutdownTest, SigtermClosesEveryConnectionAndKeepsWhatWasWritten) {
    auto plain_board = board(cli_token_);
    plain_board->send_frame(cmd::kHardware, 2, body({"vw", "1", "before-stop"}));
    RawClient tls_board(server_->tls_port(), any_certificate());
    tls_board.login(cli_token_);
    tls_board.send_frame(cmd::kHardware, 2, body({"vw", "2", "over-tls"}));
    auto phone = logged_in_app();
    // Acknowledged pings: the writes before them were handled.
    plain_board->send_frame(cmd::kPing, 3);
    ASSERT_TRUE(plain_board->expect_response(3, status::kOk));
    tls_board.send_frame(cmd::kPing, 3);
    ASSERT_TRUE(tls_board.expect_response(3, status::kOk));

    RawClient half_hello_a(server_->tls_port()), half_hello_b(server_->port());
    half_hello_a.send(kHelloStart);
    half_hello_b.send(kHelloStart);
    RawClient tls_not_logged_in(server_->tls_port(), any_certificate());
    RawClient tls_half_login(server_->port(), any_certificate());
    tls_half_login.send(frame(cmd::kHardwareLogin, 1, cli_token_).substr(0, 3));
    RawClient silent(server_->port());
    RawClient half_http(server_->port());
    half_http.send("GET /health/live HTTP/1.1\r\nHost: x\r\n");
    std::this_thread::sleep_for(200ms);  // every one of them reached its stage in the server

    const auto signalled = std::chrono::steady_clock::now();
    EXPECT_EQ(server_->stop(), 0) << server_->log();
    EXPECT_LT(std::chrono::steady_clock::now() - signalled, patient(3s)) << server_->log();
    for (RawClient* c : {plain_board.get(), &tls_board, &half_hello_a, &half_hello_b,
                         &tls_not_logged_in, &tls_half_login, &silent, &half_http, &phone->raw()}) {
        EXPECT_TRUE(c->expect_closed(1s));
    }
    const std::string log = server_->log();
    EXPECT_NE(
        log.find(
            "stopping: closing 3 session(s), 1 HTTP connection(s) and 5 unfinished connection(s)"),
        std::string::npos)
        << log;
    EXPECT_EQ(log.find("disconnect:"), std::string::npos) << "one summary, not a line each";
    EXPECT_NE(log.find("stopped;"), std::string::npos);

    server_->start();
    auto again = board(cli_token_);
    again->send_frame(cmd::kHardwareSync, 4, body({"vr", "1", "2"}));
    EXPECT_TRUE(again->expect(frame(cmd::kHardware, 4, body({"vw", "1", "before-stop"})) +
                              frame(cmd::kHardware, 4, body({"vw", "2", "over-tls"}))));
}

}  // namespace
}  // namespace blynk::test
