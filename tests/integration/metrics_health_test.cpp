// /metrics and /health against the real binary: Prometheus text whose values follow a board that
// logs in, writes and fails to log in; who may read it (metrics.allow, or an administrator's
// console cookie); liveness and readiness, including a database another process has locked.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <regex>
#include <thread>

#include "tests/support/console_fixture.hpp"

namespace blynk::test {
namespace {

/// `name{labels}` → value, from the exposition text; HELP and TYPE lines checked on the way.
std::map<std::string, double> parse_metrics(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream lines(text);
    std::string line;
    std::string family;
    while (std::getline(lines, line)) {
        if (line.starts_with("# HELP ")) {
            family = line.substr(7, line.find(' ', 7) - 7);
            continue;
        }
        if (line.starts_with("# TYPE ")) {
            EXPECT_EQ(line.substr(7, family.size() + 1), family + " ") << "TYPE after HELP";
            continue;
        }
        const size_t space = line.rfind(' ');
        EXPECT_NE(space, std::string::npos) << line;
        EXPECT_TRUE(line.starts_with(family)) << line << " outside its family " << family;
        out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return out;
}

/// One HTTP request from `source` (an address of 127.0.0.0/8) to 127.0.0.1:port.
HttpResponse http_from(const char* source, uint16_t port, const std::string& target) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from), 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    const std::string req = http_request("GET", target, "", "", "Connection: close\r\n");
    EXPECT_EQ(::send(fd, req.data(), req.size(), MSG_NOSIGNAL), static_cast<ssize_t>(req.size()));
    std::string raw;
    char buf[8192];
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
        raw.append(buf, static_cast<size_t>(n));
    ::close(fd);
    HttpResponse r;
    const size_t end = raw.find("\r\n\r\n");
    if (raw.size() < 12 || end == std::string::npos) return r;
    r.status = std::stoi(raw.substr(9, 3));
    r.body = raw.substr(end + 4);
    return r;
}

class MetricsTest : public ConsoleApiTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"storage.flush.interval.ms", "100"},
                {"metrics.allow", "127.0.0.1"},
                {"history.all.pins", "true"}};
    }
    std::map<std::string, double> metrics() {
        HttpResponse r = http_call(server_->port(), "GET", "/metrics");
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
        return parse_metrics(r.body);
    }
};

TEST_F(MetricsTest, ValuesFollowABoard) {
    auto before = metrics();
    EXPECT_EQ(before.at("blynkd_build_info{version=\"" BLYNKD_VERSION "\"}"), 1);
    EXPECT_EQ(before.at("blynkd_connections{kind=\"hardware\",transport=\"tcp\"}"), 0);
    EXPECT_EQ(before.at("blynkd_logins_total{kind=\"hardware\"}"), 0);
    EXPECT_EQ(before.at("blynkd_login_failures_total{kind=\"hardware\"}"), 0);
    EXPECT_EQ(
        before.count("blynkd_messages_received_total{kind=\"hardware\",command=\"HARDWARE\"}"), 0u);
    EXPECT_EQ(before.at("blynkd_users"), 1);
    EXPECT_EQ(before.at("blynkd_devices"), 1);
    // The request that asks is itself an open HTTP connection.
    EXPECT_EQ(before.at("blynkd_connections{kind=\"http\",transport=\"tcp\"}"), 1);
    EXPECT_GT(before.at("process_resident_memory_bytes"), 1e6);
    EXPECT_GT(before.at("process_open_fds"), 3);
    EXPECT_GE(before.at("blynkd_uptime_seconds"), 0);

    auto b = board(cli_token_);
    b->send_frame(cmd::kHardware, 2, body({"vw", "4", "1"}));
    b->send_frame(cmd::kHardware, 3, body({"vw", "4", "2"}));
    b->send_frame(cmd::kPing, 4);
    ASSERT_TRUE(b->expect_response(4, status::kOk));
    RawClient stranger(server_->port());
    stranger.send_frame(cmd::kHardwareLogin, 1, std::string(32, 'x'));
    ASSERT_TRUE(stranger.expect_response(1, status::kInvalidToken));
    RawClient tls(server_->tls_port(), TlsOptions{});
    tls.send_frame(cmd::kPing, 1);  // before login: closed
    ASSERT_TRUE(tls.expect_closed());
    std::this_thread::sleep_for(std::chrono::milliseconds(400));  // a few flush intervals

    auto after = metrics();
    EXPECT_EQ(after.at("blynkd_connections{kind=\"hardware\",transport=\"tcp\"}"), 2);
    EXPECT_EQ(after.at("blynkd_connections_opened_total{kind=\"hardware\",transport=\"tcp\"}"), 2);
    EXPECT_EQ(after.at("blynkd_connections_opened_total{kind=\"hardware\",transport=\"tls\"}"), 1);
    EXPECT_EQ(after.at("blynkd_connections{kind=\"hardware\",transport=\"tls\"}"), 0);
    EXPECT_EQ(after.at("blynkd_logins_total{kind=\"hardware\"}"), 1);
    EXPECT_EQ(after.at("blynkd_login_failures_total{kind=\"hardware\"}"), 1);
    EXPECT_EQ(
        after.at("blynkd_messages_received_total{kind=\"hardware\",command=\"HARDWARE_LOGIN\"}"),
        2);
    EXPECT_EQ(after.at("blynkd_messages_received_total{kind=\"hardware\",command=\"HARDWARE\"}"),
              2);
    EXPECT_EQ(after.at("blynkd_messages_received_total{kind=\"hardware\",command=\"PING\"}"), 2);
    // 200 to the login and the PING, 9 to the stranger.
    EXPECT_EQ(after.at("blynkd_messages_sent_total{kind=\"hardware\",command=\"RESPONSE\"}"), 3);
    EXPECT_EQ(after.at("blynkd_tls_handshakes_total"), 1);
    EXPECT_EQ(after.at("blynkd_http_requests_total"), 2);
    EXPECT_GE(after.at("blynkd_storage_pin_rows_total"), 1);
    EXPECT_GE(after.at("blynkd_storage_flush_seconds_count"), 1);
    EXPECT_GT(after.at("blynkd_storage_flush_seconds_sum"), 0);
    EXPECT_EQ(after.at("blynkd_storage_dropped_values_total"), 0);
    EXPECT_EQ(after.at("blynkd_history_points_total"), 2) << "V4's 1 and 2";
    EXPECT_EQ(after.at("blynkd_history_pending_points"), 0);
    EXPECT_EQ(after.at("blynkd_history_dropped_points_total{reason=\"backlog\"}"), 0);
    EXPECT_EQ(after.at("blynkd_history_dropped_points_total{reason=\"user_cap\"}"), 0);
    EXPECT_EQ(after.at("blynkd_quota_drops_total{kind=\"hardware\"}"), 0);
    EXPECT_EQ(after.at("blynkd_slow_reader_closes_total{kind=\"hardware\"}"), 0);

    b.reset();
    ASSERT_TRUE(server_->wait_for_log("disconnect: hardware tcp"));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(metrics().at("blynkd_connections{kind=\"hardware\",transport=\"tcp\"}"), 1);
}

TEST_F(MetricsTest, OtherAddressesAreRefused) {
    EXPECT_EQ(http_from("127.0.0.2", server_->port(), "/metrics").status, 403);
    EXPECT_TRUE(server_->wait_for_log("metrics: 127.0.0.2 refused"));
    EXPECT_EQ(http_from("127.0.0.1", server_->port(), "/metrics").status, 200);
    // Health is for everyone.
    EXPECT_EQ(http_from("127.0.0.2", server_->port(), "/health").status, 200);
}

class MetricsByCookieTest : public MetricsTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"metrics.allow", "127.0.0.2/32"}};
    }
};

TEST_F(MetricsByCookieTest, AdministratorsMayReadFromAnywhere) {
    ASSERT_EQ(
        server_->cli({"user", "add", "root@example.com", "--admin", "--password", "pw"}).exit_code,
        0);
    ASSERT_TRUE(server_->wait_for_log("provisioning: user root@example.com added"));
    EXPECT_EQ(http_call(server_->port(), "GET", "/metrics").status, 403);
    EXPECT_EQ(http_from("127.0.0.2", server_->port(), "/metrics").status, 200);

    const std::string admin = cookie_of(sign_in("root@example.com", "pw"));
    const std::string user = cookie_of(sign_in(kEmail, kPassword));
    ASSERT_FALSE(admin.empty());
    ASSERT_FALSE(user.empty());
    HttpResponse by_admin = call("GET", "", "Cookie: " + admin + "\r\n", "", "/metrics");
    EXPECT_EQ(by_admin.status, 200);
    EXPECT_NE(by_admin.body.find("# TYPE blynkd_connections gauge"), std::string::npos);
    EXPECT_EQ(call("GET", "", "Cookie: " + user + "\r\n", "", "/metrics").status, 403);
    EXPECT_EQ(call("GET", "", "", "", "/metrics").status, 403);
}

TEST_F(MetricsTest, HealthLiveAndReady) {
    HttpResponse live = http_call(server_->port(), "GET", "/health/live");
    EXPECT_EQ(live.status, 200);
    EXPECT_EQ(live.body, R"({"status":"ok"})");
    HttpResponse ready = http_call(server_->port(), "GET", "/health/ready");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(ready.body, R"({"status":"ok","storage":"writable"})");
    EXPECT_EQ(http_call(server_->port(), "GET", "/health").body, ready.body);
    EXPECT_EQ(http_call(server_->port(), "POST", "/health").status, 405);
}

TEST_F(MetricsTest, NotReadyWhileTheDatabaseIsLockedElsewhere) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((server_->data_dir() / "blynkd.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    RawClient client(server_->port());
    client.send(http_request("GET", "/health/ready"));
    HttpResponse locked = read_http_response(client, false, std::chrono::seconds(6));
    EXPECT_EQ(locked.status, 503);
    EXPECT_EQ(
        locked.body,
        R"({"status":"unavailable","storage":"no answer from the storage thread within 3000 ms"})");
    // Liveness does not depend on storage.
    EXPECT_EQ(http_call(server_->port(), "GET", "/health/live").status, 200);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    // The storage thread's waiting check gives up (busy timeout) or succeeds; then it is ready.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (status != 200 && std::chrono::steady_clock::now() < deadline)
        status = http_call(server_->port(), "GET", "/health/ready").status;
    EXPECT_EQ(status, 200);
}

}  // namespace
}  // namespace blynk::test
