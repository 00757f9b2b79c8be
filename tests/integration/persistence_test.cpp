#include "server/store/store.hpp"
#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

// Each on both engines: SQLite (the default) and PostgreSQL.
class PersistenceTest : public ServerTest, public ::testing::WithParamInterface<std::string> {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"storage.flush.interval.ms", "200"}, {"storage", GetParam()}};
    }

    void write_values() {
        auto c = logged_in(token_a_);
        c->send_frame(cmd::kHardware, 2, body({"vw", "1", "first"}));
        c->send_frame(cmd::kHardware, 3, body({"vw", "1", "latest"}));
        c->send_frame(cmd::kHardware, 4, body({"dw", "2", "1"}));
        c->send_frame(cmd::kHardware, 5, body({"vw", "9", "a", "b"}));
        c->send_frame(cmd::kSetWidgetProperty, 6, body({"1", "label", "Temperature"}));
        EXPECT_TRUE(c->expect_response(6, status::kOk));
    }

    void expect_values_back() {
        auto c = logged_in(token_a_);
        c->send_frame(cmd::kHardwareSync, 7);
        EXPECT_TRUE(c->expect(frame(cmd::kHardware, 7, body({"dw", "2", "1"})) +
                              frame(cmd::kHardware, 7, body({"vw", "1", "latest"})) +
                              frame(cmd::kHardware, 7, body({"vw", "9", "a", "b"}))));
    }
};

TEST_P(PersistenceTest, ValuesSurviveAGracefulRestart) {
    write_values();
    EXPECT_EQ(server_->stop(), 0);
    EXPECT_TRUE(server_->wait_for_log("stopped;"));
    server_->start();
    expect_values_back();
}

TEST_P(PersistenceTest, ValuesSurviveKill9AfterTheFlushInterval) {
    write_values();
    std::this_thread::sleep_for(800ms);  // > flush interval (200 ms)
    server_->kill9();
    server_->start();
    expect_values_back();
}

TEST_P(PersistenceTest, PropertiesAndLastSeenArePersisted) {
    write_values();
    EXPECT_EQ(server_->stop(), 0);
    store::Store db(server_->database_location());
    auto row = db.find_device_by_token(token_a_);
    ASSERT_TRUE(row);
    const std::pair<uint8_t, std::string> label{1, "label"};
    EXPECT_EQ(row->device.properties[label], "Temperature");
    EXPECT_GT(row->device.last_seen_ms, 1700000000000);
    EXPECT_FALSE(row->device.online);
}

TEST_P(PersistenceTest, TokensStillWorkAfterRestart) {
    EXPECT_EQ(server_->stop(), 0);
    server_->start();
    auto c = logged_in(token_a_);
    auto d = logged_in(token_b_);
}

INSTANTIATE_TEST_SUITE_P(Engines, PersistenceTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace blynk::test
