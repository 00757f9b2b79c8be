// The Webhook widget against a real HTTP server run by the test (python3 http.server on
// 127.0.0.1): method, URL and body with the Java placeholders, headers, the answer written back
// to the device, the answer size cap and the per-user rate limit (issue 13 item 5).

#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/app_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"

namespace blynk::test {
namespace {

class WebhookTest : public AppTest {
protected:
    virtual std::vector<std::string> server_args() const { return {}; }
    std::map<std::string, std::string> settings() const override {
        auto s = AppTest::settings();
        s["webhooks.frequency.user.quota.limit"] = "0";
        return s;
    }

    void SetUp() override {
        static int count = 0;
        dir_ = std::filesystem::temp_directory_path() /
               ("blynkd-webhook-" + std::to_string(getpid()) + "-" + std::to_string(++count));
        std::filesystem::create_directories(dir_);
        std::vector<std::string> argv = {"/usr/bin/python3",
                                         BLYNKD_SOURCE_DIR "/tests/support/http_echo_server.py",
                                         dir_.string()};
        for (const auto& a : server_args())
            argv.push_back(a);
        http_ = std::make_unique<ChildProcess>(argv, dir_ / "http.log");
        ASSERT_NE(http_->port(), 0) << http_->output();
        AppTest::SetUp();
    }

    void TearDown() override {
        AppTest::TearDown();
        http_.reset();
        std::error_code ec;
        if (!HasFailure()) std::filesystem::remove_all(dir_, ec);
    }

    /// Dashboard 1 (the CLI-made device 0) with a Webhook widget on V7, active.
    std::unique_ptr<AppClient> app_with_webhook() {
        const std::string url = "http://127.0.0.1:" + std::to_string(http_->port()) +
                                "/hook/pin[0]/x/pin[1]/?owner=device_owner_email";
        const json hook = {{"type", "WEBHOOK"},
                           {"id", 20},
                           {"width", 2},
                           {"height", 1},
                           {"deviceId", 0},
                           {"pinType", "VIRTUAL"},
                           {"pin", 7},
                           {"url", url},
                           {"method", "PUT"},
                           {"headers",
                            {{{"name", "Content-Type"}, {"value", "application/json"}},
                             {{"name", "X-Key"}, {"value", "k1"}}}},
                           {"body", R"({"value":"/pin/","first":"/pin[0]/"})"}};
        const json dash = {{"id", 1}, {"name", "Home"}, {"widgets", {hook}}};
        auto a = logged_in_app();
        a->send(cmd::kUpdateDash, 2, dash.dump());
        EXPECT_TRUE(a->expect_response(2, status::kOk));
        a->send(cmd::kActivateDashboard, 3, "1");
        EXPECT_TRUE(a->expect_response(3, status::kDeviceNotInNetwork));
        return a;
    }

    /// The n-th request the HTTP server saw (1-based), waiting up to 5 s.
    std::optional<json> request(int n) {
        const auto path = dir_ / ("request-" + std::to_string(n) + ".json");
        for (int i = 0; i < 100 && !std::filesystem::exists(path); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::ifstream in(path);
        if (!in) return std::nullopt;
        return json::parse(in);
    }

    std::string metrics() { return http_call(server_->port(), "GET", "/metrics").body; }

    std::filesystem::path dir_;
    std::unique_ptr<ChildProcess> http_;
};

TEST_F(WebhookTest, AWriteCallsTheUrlAndTheAnswerGoesToTheDevice) {
    auto a = app_with_webhook();
    auto b = board(cli_token_);
    // A REST write with two values: /pin[0]/ and /pin[1]/ are its parts.
    EXPECT_EQ(
        http_call(server_->port(), "GET", "/" + cli_token_ + "/update/V7?value=a&value=b").status,
        200);
    ASSERT_TRUE(b->expect_frame(cmd::kHardware, 111, body({"vw", "7", "a", "b"})));
    auto r = request(1);
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)["method"], "PUT");
    EXPECT_EQ((*r)["path"], "/hookaxb?owner=alice@example.com");
    EXPECT_EQ((*r)["headers"]["X-Key"], "k1");
    EXPECT_EQ((*r)["headers"]["Content-Type"], "application/json");
    EXPECT_EQ((*r)["body"], std::string(R"({"value":"a)") + '\0' + R"(b","first":"a"})");
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 888,
                                body({"vw", "7", "echo:/hookaxb?owner=alice@example.com"})));

    // The device's own write calls it too; its answer is not a write (no second call).
    b->send_frame(cmd::kHardware, 9, body({"vw", "7", "42"}));
    auto second = request(2);
    ASSERT_TRUE(second);
    EXPECT_EQ((*second)["body"], R"({"value":"42","first":"42"})");
    EXPECT_TRUE(b->expect_frame(
        cmd::kHardware, 888, body({"vw", "7", "echo:/hook42x/pin[1]/?owner=alice@example.com"})));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_FALSE(std::filesystem::exists(dir_ / "request-3.json"));
    EXPECT_NE(metrics().find("blynkd_webhook_calls_total 2"), std::string::npos) << metrics();
}

class WebhookLimitTest : public WebhookTest {
protected:
    std::map<std::string, std::string> settings() const override {
        auto s = WebhookTest::settings();
        s["webhooks.frequency.user.quota.limit"] = "60000";
        return s;
    }
};

TEST_F(WebhookLimitTest, OneCallPerIntervalPerUser) {
    auto a = app_with_webhook();
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(http_call(server_->port(), "GET",
                            "/" + cli_token_ + "/update/V7?value=" + std::to_string(i))
                      .status,
                  200);
    }
    ASSERT_TRUE(request(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_FALSE(std::filesystem::exists(dir_ / "request-2.json"));
    EXPECT_NE(metrics().find("blynkd_outbound_refused_total 2"), std::string::npos) << metrics();
}

class WebhookSizeTest : public WebhookTest {
protected:
    std::vector<std::string> server_args() const override { return {"--answer-size", "3000"}; }
    std::map<std::string, std::string> settings() const override {
        auto s = WebhookTest::settings();
        s["webhooks.response.size.limit"] = "2";
        return s;
    }
};

TEST_F(WebhookSizeTest, AnAnswerOverTheCapIsDroppedAndCounted) {
    auto a = app_with_webhook();
    auto b = board(cli_token_);
    b->send_frame(cmd::kHardware, 9, body({"vw", "7", "1"}));
    ASSERT_TRUE(request(1));
    EXPECT_TRUE(server_->wait_for_log("larger than 2 KB"));
    EXPECT_TRUE(b->expect_silence(std::chrono::milliseconds(300)));
    EXPECT_NE(metrics().find("blynkd_webhook_failures_total 1"), std::string::npos) << metrics();
}

}  // namespace
}  // namespace blynk::test
