// No secret reaches the log whole: a server at trace level goes through everything that carries a
// token, a password or a password hash (board logins good and bad over TCP, TLS and WebSocket,
// bridges, REST with the token in the URL, app login, registration, sharing and push tokens, the
// web console and its admin view, provisioning by the CLI while the server runs), then every
// token, hash, salt and password (the sent ones, and the stored ones read from the database) is
// looked for in the server's log and the CLI's messages.

#include <sqlite3.h>

#include "common/util/password.hpp"
#include "tests/support/console_fixture.hpp"

namespace blynk::test {
namespace {

// 32 characters, like a token, but never issued.
constexpr const char* kWrongToken = "Zq9x3Vb7Nc1Mw5Lk8Jh2Gf6Ds4Ap0OwE";
constexpr const char* kAdmin = "root@example.com";
constexpr const char* kAdminPassword = "admin secret";

class LogSecretsTest : public ConsoleApiTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"storage.flush.interval.ms", "100"}, {"log.level", "trace"}};
    }

    /// Runs a CLI command, keeps its stderr (messages, not output) for the search, returns stdout.
    std::string cli(const std::vector<std::string>& args) {
        CommandResult r = server_->cli(args);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        cli_messages_ += r.err;
        return r.out.substr(0, r.out.find('\n'));
    }
    void secret(const std::string& value, const std::string& what) {
        if (!value.empty()) secrets_.emplace(value, what);
    }
    /// Every token, share and push token, stored password hash and its salt and digest.
    void add_stored_secrets() {
        sqlite3* db = nullptr;
        const std::string file = (server_->data_dir() / "blynkd.db").string();
        ASSERT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        const std::vector<std::pair<const char*, const char*>> queries = {
            {"SELECT token FROM devices", "a device token"},
            {"SELECT token FROM provision_log UNION SELECT old_token FROM provision_log",
             "a token of the provisioning log"},
            {"SELECT share_token FROM dashboards", "a share token"},
            {"SELECT token FROM push_tokens", "a push token"},
            {"SELECT password_hash FROM users", "a stored password hash"},
        };
        for (const auto& [sql, what] : queries) {
            sqlite3_stmt* st = nullptr;
            ASSERT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sql;
            while (sqlite3_step(st) == SQLITE_ROW) {
                const std::string value = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
                secret(value, what);
                // "pbkdf2-sha256$<iterations>$<salt>$<hash>": the salt and the digest alone too.
                const size_t salt = value.find('$', value.find('$') + 1);
                if (value.starts_with("pbkdf2") && salt != std::string::npos) {
                    const size_t digest = value.find('$', salt + 1);
                    secret(value.substr(salt + 1, digest - salt - 1), "a stored password salt");
                    secret(value.substr(digest + 1), "a stored password digest");
                }
            }
            sqlite3_finalize(st);
        }
        sqlite3_close(db);
    }

    std::string cli_messages_;
    std::map<std::string, std::string> secrets_;  // value -> what it is
};

TEST_F(LogSecretsTest, NoTokenPasswordOrHashAppearsWholeInTheLog) {
    const std::string cert = (server_->data_dir() / "tls" / "cert.pem").string();
    TlsOptions tls;
    tls.ca_file = cert;
    secret(cli_token_, "the CLI's device token");
    secret(kWrongToken, "a token that was never issued");
    secret(kPassword, "a clear password");
    secret(util::app_password_hash(kEmail, kPassword), "the app's password hash");
    secret(util::app_password_hash(kEmail, "wrong password"), "a wrong password hash");
    cli({"user", "add", kAdmin, "--admin", "--password", kAdminPassword});
    secret(kAdminPassword, "a clear password");
    const std::string second_token = cli({"device", "add", kEmail, "--name", "Board B"});
    secret(second_token, "the second device's token");
    ASSERT_TRUE(server_->wait_for_log("provisioning: device 1-1 'Board B'"));
    ASSERT_TRUE(server_->wait_for_log("provisioning: user root@example.com added"));

    // Boards: logins good and bad over TCP, TLS and WebSocket; bridges good and bad.
    auto board_a = board(cli_token_);
    auto bad = std::make_unique<RawClient>(server_->port());
    bad->send_frame(cmd::kHardwareLogin, 1, kWrongToken);
    EXPECT_TRUE(bad->expect_response(1, status::kInvalidToken));
    RawClient board_b(server_->tls_port(), tls);
    board_b.login(second_token);
    board_a->send_frame(cmd::kBridge, 2, body({"1", "i", second_token}));
    EXPECT_TRUE(board_a->expect_response(2, status::kOk));
    board_a->send_frame(cmd::kBridge, 3, body({"1", "vw", "5", "bridged"}));
    EXPECT_TRUE(board_b.expect_frame(cmd::kBridge, 3, body({"vw", "5", "bridged"})));
    board_a->send_frame(cmd::kBridge, 4, body({"2", "i", kWrongToken}));
    EXPECT_TRUE(board_a->expect_response(4, status::kNotAllowed));
    WsClient ws(server_->port(), WsClient::Options{});
    ws.send(frame(cmd::kHardwareLogin, 1, second_token));
    EXPECT_TRUE(ws.expect_message(response(1, status::kOk)));
    WsClient::Options token_in_url;  // what a confused client might do; the server ignores it
    token_in_url.path = "/websockets?token=" + second_token;
    WsClient ws_url(server_->port(), token_in_url);
    EXPECT_TRUE(ws_url.ping_pong());
    WsClient ws_bad(server_->port(), WsClient::Options{});
    ws_bad.send(frame(cmd::kHardwareLogin, 1, kWrongToken));
    EXPECT_TRUE(ws_bad.expect_message(response(1, status::kInvalidToken)));

    // REST with the token in the URL, good and bad, plain and TLS, answered and refused.
    for (const std::string& token : {cli_token_, std::string(kWrongToken)}) {
        http_call(server_->port(), "GET", "/" + token + "/update/V1?value=42");
        http_call(server_->port(), "GET", "/" + token + "/get/V1");
        http_call(server_->port(), "GET", "/" + token + "/isHardwareConnected");
        http_call(server_->port(), "GET", "/" + token + "/no/such/route");
        http_call(server_->port(), "PUT", "/" + token + "/update/V2", "[\"on\"]",
                  "application/json");
        http_call(server_->port(), "GET", "/" + token + "/update/V1?value=%zz");
        // Mistyped URLs, with the token elsewhere than first.
        http_call(server_->port(), "GET", "//" + token + "/get/V1");
        http_call(server_->port(), "GET", "/x/../" + token + "/get/V1");
        http_call(server_->port(), "GET", "/api/openapi.json?token=" + token);
        RawClient https(server_->tls_port(), tls);
        https.send(http_request("GET", "/" + token + "/get/V1"));
        EXPECT_NE(read_http_response(https).status, 0);
    }
    EXPECT_EQ(http_call(server_->port(), "GET", "/" + cli_token_ + "/get/V1").body, "[\"42\"]");

    // The app: login good and bad, registration, a new device, refreshed, shared, push tokens.
    auto a = logged_in_app();
    EXPECT_EQ(app()->login(kEmail, "wrong password"), status::kUserNotAuthenticated);
    EXPECT_EQ(app()->register_account("new@example.com", "new secret"), status::kOk);
    secret("new secret", "a clear password");
    secret(util::app_password_hash("new@example.com", "new secret"), "the app's password hash");
    a->send(cmd::kCreateDash, 2, kDashboard);
    EXPECT_TRUE(a->expect_response(2, status::kOk));
    const json device = create_device(*a, 3, 3);
    secret(device.value("token", ""), "an app-made device token");
    const std::string refreshed = a->request(cmd::kRefreshToken, 4, body({"7", "3"}));
    secret(refreshed, "a token refreshed by the app");
    a->request(cmd::kGetDevices, 5, "7");
    a->send(cmd::kSharing, 6, body({"7", "on"}));
    EXPECT_TRUE(a->expect_response(6, status::kOk));
    const std::string share = a->request(cmd::kGetShareToken, 7, "7");
    secret(share, "a share token");
    auto guest = app();
    guest->send(cmd::kShareLogin, 1, body({kEmail, share, "Android", "24"}));
    EXPECT_TRUE(guest->expect_response(1, status::kOk));
    auto bad_guest = app();
    bad_guest->send(cmd::kShareLogin, 1, body({kEmail, kWrongToken, "Android", "24"}));
    EXPECT_TRUE(bad_guest->expect_response(1, status::kNotAllowed));
    a->send(cmd::kAddPushToken, 8, body({"7", "phone-uid", "fcm-push-token-0123456789abcdef"}));
    EXPECT_TRUE(a->expect_response(8, status::kOk));
    secret("fcm-push-token-0123456789abcdef", "a push token");
    const std::string share_refreshed = a->request(cmd::kRefreshShareToken, 9, "7");
    secret(share_refreshed, "a refreshed share token");

    // The web console: sign-in good and bad, the admin view's token refresh, sign-out.
    EXPECT_EQ(sign_in(kEmail, "wrong password").status, 401);
    HttpResponse in = sign_in(kAdmin, kAdminPassword);
    ASSERT_EQ(in.status, 200) << in.body;
    const std::string cookie = cookie_of(in);
    const std::string csrf = body_of(in).value("csrf", "");
    secret(cookie.substr(cookie.find('=') + 1), "a console session cookie");
    secret(csrf, "a console CSRF token");
    secret(util::app_password_hash(kAdmin, kAdminPassword), "the console's password hash");
    HttpResponse fresh = admin_call("POST", "/api/admin/devices/refresh-token", cookie, csrf,
                                    json{{"email", kEmail}, {"dash", 7}, {"device", 3}});
    EXPECT_EQ(fresh.status, 200) << fresh.body;
    secret(body_of(fresh).value("token", ""), "a token refreshed by an administrator");
    EXPECT_EQ(admin_call("GET", "/api/admin/devices", cookie, "").status, 200);

    // Provisioning while the server runs: the server logs each event it picks up.
    const std::string cli_refreshed = cli({"device", "token-refresh", second_token});
    secret(cli_refreshed, "a token refreshed by the CLI");
    cli({"user", "password", kEmail, "--password", "changed secret"});
    secret("changed secret", "a clear password");
    secret(util::app_password_hash(kEmail, "changed secret"), "the app's password hash");
    EXPECT_TRUE(server_->wait_for_log("provisioning: password of " + std::string(kEmail)));
    EXPECT_TRUE(server_->wait_for_log("provisioning: token of device 1-1"));
    ASSERT_EQ(server_->stop(), 0);

    add_stored_secrets();
    const std::string log = server_->log();
    ASSERT_NE(log.find(" trace "), std::string::npos) << "the server did not log at trace level";
    ASSERT_NE(log.find("login rejected: unknown token"), std::string::npos) << log;
    EXPECT_GE(secrets_.size(), 20u);
    for (const auto& [value, what] : secrets_) {
        EXPECT_EQ(log.find(value), std::string::npos)
            << what << " \"" << value << "\" is in the server's log:\n"
            << log;
        EXPECT_EQ(cli_messages_.find(value), std::string::npos)
            << what << " \"" << value << "\" is in the CLI's messages:\n"
            << cli_messages_;
    }
}

}  // namespace
}  // namespace blynk::test
