// The web console's sign-in against the real binary (server/http/console_api): the session
// cookie and its flags, CSRF on sign-out, the Origin check, the shared failed-login limits, a
// /dashws upgrade signed in by its cookie, and sessions ended by a new password.

#include "tests/support/console_fixture.hpp"
#include "tests/support/ws_client.hpp"

namespace blynk::test {
namespace {

class ConsoleSessionTest : public ConsoleApiTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"storage.flush.interval.ms", "100"}, {"login.failures.per.account", "3"}};
    }
};

std::string web_frame(uint8_t command, uint16_t id, std::string_view body) {
    return frame(command, id, body, proto::Layout::WebApp);
}
std::string web_response(uint16_t id, uint32_t status) {
    return response(id, status, proto::Layout::WebApp);
}

TEST_F(ConsoleSessionTest, SignInSetsAStrictCookieThatSignsInTheWebSocket) {
    HttpResponse out = call("GET");
    EXPECT_EQ(out.status, 200);
    EXPECT_EQ(body_of(out), json({{"email", nullptr}})) << "signed out is not an error";

    HttpResponse in = sign_in("Alice@Example.com", kPassword);
    ASSERT_EQ(in.status, 200) << in.body;
    const json session = body_of(in);
    EXPECT_EQ(session["email"], kEmail);
    EXPECT_EQ(session["admin"], false);
    const std::string csrf = session.value("csrf", "");
    EXPECT_EQ(csrf.size(), 32u);
    const std::string set = in.header("set-cookie");
    EXPECT_EQ(set.rfind("blynkd_session=", 0), 0u) << set;
    for (const char* flag :
         {"; Path=/", "; Max-Age=604800", "; HttpOnly", "; Secure", "; SameSite=Strict"}) {
        EXPECT_NE(set.find(flag), std::string::npos) << flag << " in " << set;
    }
    EXPECT_EQ(in.header("cache-control"), "no-store");
    EXPECT_EQ(in.header("access-control-allow-origin"), "") << "never to other sites";
    const std::string cookie = cookie_of(in);
    EXPECT_EQ(cookie.size(), std::string("blynkd_session=").size() + 32);

    HttpResponse again = call("GET", "", "Cookie: theme=dark; " + cookie + "\r\n");
    EXPECT_EQ(body_of(again), json({{"email", kEmail}, {"admin", false}, {"csrf", csrf}}));

    // The page's WebSocket carries the cookie: LOGIN with the secret "session" is enough.
    WsClient ws(server_->tls_port(), dashws(cookie));
    ws.send(web_frame(cmd::kLogin, 1, body({kEmail, "session"})));
    EXPECT_TRUE(ws.expect_message(web_response(1, status::kOk)));
    ws.send(web_frame(cmd::kGetEnergy, 2, {}));
    EXPECT_TRUE(ws.expect_message(web_frame(cmd::kGetEnergy, 2, "1000000")));
    // Without the cookie, "session" is just a wrong password; another user's e-mail too.
    WsClient bare(server_->tls_port(), dashws(""));
    bare.send(web_frame(cmd::kLogin, 1, body({kEmail, "session"})));
    EXPECT_TRUE(bare.expect_message(web_response(1, status::kUserNotAuthenticated)));

    // Sign-out needs the CSRF token.
    EXPECT_EQ(call("DELETE", "", "Cookie: " + cookie + "\r\n").status, 403);
    EXPECT_EQ(call("DELETE", "",
                   "Cookie: " + cookie + "\r\nX-CSRF-Token: " + std::string(32, 'x') + "\r\n")
                  .status,
              403);
    HttpResponse bye =
        call("DELETE", "", "Cookie: " + cookie + "\r\nX-CSRF-Token: " + csrf + "\r\n");
    EXPECT_EQ(bye.status, 200);
    EXPECT_EQ(body_of(bye), json({{"email", nullptr}}));
    EXPECT_NE(bye.header("set-cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(body_of(call("GET", "", "Cookie: " + cookie + "\r\n")), json({{"email", nullptr}}));
    WsClient after(server_->tls_port(), dashws(cookie));
    after.send(web_frame(cmd::kLogin, 1, body({kEmail, "session"})));
    EXPECT_TRUE(after.expect_message(web_response(1, status::kUserNotAuthenticated)));
    EXPECT_TRUE(server_->wait_for_log("console sign-out: alice@example.com"));
}

TEST_F(ConsoleSessionTest, RefusalsSayWhy) {
    HttpResponse wrong = sign_in(kEmail, "guess");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(body_of(wrong), json({{"error", "Wrong e-mail or password."}}));
    EXPECT_EQ(wrong.header("set-cookie"), "");
    EXPECT_EQ(sign_in("nobody@example.com", "x").status, 401);
    EXPECT_EQ(call("POST", "{\"email\":1}").status, 400);
    EXPECT_EQ(call("POST", "email=a&hash=b", "", "application/x-www-form-urlencoded").status, 415)
        << "a cross-site form cannot sign anybody in";
    HttpResponse cross = sign_in(kEmail, kPassword, "Origin: https://evil.example\r\n");
    EXPECT_EQ(cross.status, 403);
    EXPECT_EQ(cross.header("set-cookie"), "");
    EXPECT_EQ(sign_in(kEmail, kPassword,
                      "Origin: https://127.0.0.1:" + std::to_string(server_->tls_port()) + "\r\n")
                  .status,
              403)
        << "the Host header is 127.0.0.1 without the port: the origins differ";
    EXPECT_EQ(call("PUT", "{}").status, 405);

    // Over plain HTTP the console API is refused (the cookie is Secure).
    HttpResponse plain =
        http_call(server_->port(), "POST", "/api/session",
                  json{{"email", kEmail}, {"hash", "x"}}.dump(), "application/json");
    EXPECT_EQ(plain.status, 403);
    EXPECT_NE(plain.body.find("https"), std::string::npos) << plain.body;
}

TEST_F(ConsoleSessionTest, FailedSignInsLockTheAccountForTheAppToo) {
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(sign_in(kEmail, "guess").status, 401) << i;
    HttpResponse locked = sign_in(kEmail, kPassword);
    EXPECT_EQ(locked.status, 403);
    EXPECT_NE(locked.body.find("Too many failed sign-ins"), std::string::npos) << locked.body;
    EXPECT_FALSE(locked.header("retry-after").empty());
    EXPECT_EQ(app()->login(kEmail, kPassword), status::kNotAllowed) << "one limiter for both";
    EXPECT_TRUE(server_->wait_for_log("console sign-in refused: alice@example.com"));
}

TEST_F(ConsoleSessionTest, AdministratorsAreToldAndANewPasswordEndsSessions) {
    auto added = server_->cli({"user", "add", "root@example.com", "--admin", "--password", "pw"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    ASSERT_TRUE(server_->wait_for_log("provisioning: user root@example.com added"));
    HttpResponse in = sign_in("root@example.com", "pw");
    ASSERT_EQ(in.status, 200) << in.body;
    EXPECT_EQ(body_of(in)["admin"], true);
    const std::string cookie = cookie_of(in);

    auto changed = server_->cli({"user", "password", "root@example.com", "--password", "new"});
    ASSERT_EQ(changed.exit_code, 0) << changed.err;
    EXPECT_TRUE(server_->wait_for_log("console session(s) signed out"));
    EXPECT_EQ(body_of(call("GET", "", "Cookie: " + cookie + "\r\n")), json({{"email", nullptr}}));
    EXPECT_EQ(sign_in("root@example.com", "new").status, 200);
}

}  // namespace
}  // namespace blynk::test
