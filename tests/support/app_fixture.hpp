#pragma once
// A started blynkd with a user who has an app password and one CLI-made device (dashboard 1), for
// app-protocol integration tests.

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/app_client.hpp"
#include "tests/support/fixture.hpp"

namespace blynk::test {

using nlohmann::json;

inline constexpr const char* kEmail = "alice@example.com";
inline constexpr const char* kPassword = "correct horse";

inline const std::string kDashboard = R"({"id":7,"name":"Garden","widgets":[
    {"type":"BUTTON","id":100,"x":0,"y":0,"width":2,"height":2,"deviceId":0,"pinType":"DIGITAL",
     "pin":13,"min":0,"max":1,"pushMode":false},
    {"type":"DIGIT4_DISPLAY","id":101,"x":2,"y":0,"width":2,"height":1,"deviceId":0,
     "pinType":"VIRTUAL","pin":5,"frequency":0,"futureField":{"kept":true}}]})";

class AppTest : public ::testing::Test {
protected:
    virtual std::map<std::string, std::string> settings() const {
        return {{"storage.flush.interval.ms", "100"}};
    }

    void SetUp() override {
        server_ = std::make_unique<ServerProcess>(settings());
        auto added = server_->cli({"user", "add", kEmail, "--password", kPassword});
        ASSERT_EQ(added.exit_code, 0) << added.err;
        auto device = server_->cli({"device", "add", kEmail, "--name", "Board A"});
        ASSERT_EQ(device.exit_code, 0) << device.err;
        cli_token_ = device.out.substr(0, device.out.find('\n'));
        server_->start();
    }

    void TearDown() override {
        if (!server_) return;  // skipped before the server was started
        const std::string crash = server_->unexpected_exit();
        if (!crash.empty()) ADD_FAILURE() << "blynkd " << crash << "; its log:\n" << server_->log();
    }

    std::unique_ptr<AppClient> app() { return std::make_unique<AppClient>(server_->port()); }
    std::unique_ptr<AppClient> logged_in_app() {
        auto a = app();
        EXPECT_EQ(a->login(kEmail, kPassword), status::kOk);
        return a;
    }
    std::unique_ptr<RawClient> board(const std::string& token) {
        auto c = std::make_unique<RawClient>(server_->port());
        c->login(token);
        return c;
    }
    json profile(AppClient& a, uint16_t id = 50) {
        std::string text = a.request(cmd::kLoadProfileGzipped, id);
        return json::parse(text, nullptr, false);
    }
    /// CREATE_DEVICE in dashboard 7; returns the device JSON the server answered.
    json create_device(AppClient& a, int id, uint16_t msg_id) {
        std::string reply = a.request(
            cmd::kCreateDevice, msg_id,
            body({"7", R"({"id":)" + std::to_string(id) +
                           R"(,"name":"Pump","boardType":"ESP32","vendor":"Espressif"})"}));
        return json::parse(reply, nullptr, false);
    }

    std::unique_ptr<ServerProcess> server_;
    std::string cli_token_;
};

}  // namespace blynk::test
