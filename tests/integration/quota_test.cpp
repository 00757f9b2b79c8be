#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

class QuotaTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"user.message.quota.limit", "20"}};
    }
};

TEST_F(QuotaTest, FloodIsDroppedWholeWithOneQuotaAnswerAndNoDisconnect) {
    auto c = logged_in(token_a_);  // the login used one message of the budget
    std::string flood;
    for (uint16_t id = 100; id < 300; ++id) {
        // Writes with bodies: a dropped frame must be skipped whole, or the stream desyncs.
        flood += frame(cmd::kHardware, id, body({"vw", "1", std::to_string(id)}));
        flood += frame(cmd::kPing, static_cast<uint16_t>(id + 1000));
    }
    c->send(flood);
    std::string got = c->read_for(1500ms);
    ASSERT_EQ(got.size() % 5, 0u) << hex(got);
    size_t oks = 0, quota = 0;
    for (size_t i = 0; i < got.size(); i += 5) {
        ASSERT_EQ(got[i], 0) << "only responses expected: " << hex(got.substr(i, 5));
        uint16_t st = static_cast<uint16_t>((static_cast<unsigned char>(got[i + 3]) << 8) |
                                            static_cast<unsigned char>(got[i + 4]));
        if (st == status::kOk) ++oks;
        if (st == status::kQuotaLimit) ++quota;
    }
    EXPECT_EQ(quota, 1u) << "QUOTA_LIMIT is answered at most once a minute";
    EXPECT_GE(oks, 5u);
    EXPECT_LE(oks, 15u) << "about 19 messages fit the budget, half of them pings";
    // The stream is still in sync and the bucket refills: a second later pings work again.
    std::this_thread::sleep_for(1200ms);
    c->send_frame(cmd::kPing, 7);
    EXPECT_TRUE(c->expect_response(7, status::kOk));
    c->send_frame(cmd::kHardwareSync, 8, body({"vr", "1"}));
    std::string synced = c->read_for(500ms);
    EXPECT_EQ(synced.substr(0, 3), std::string("\x14\x00\x08", 3)) << hex(synced);
    EXPECT_TRUE(server_->wait_for_log("message quota exceeded"));
}

TEST_F(QuotaTest, FloodOnOneConnectionDoesNotAffectAnother) {
    auto flooder = logged_in(token_a_);
    auto other = logged_in(token_b_);
    std::string flood;
    for (uint16_t id = 1; id < 500; ++id)
        flood += frame(cmd::kPing, id);
    flooder->send(flood);
    other->send_frame(cmd::kPing, 42);
    EXPECT_TRUE(other->expect_response(42, status::kOk));
    EXPECT_TRUE(flooder->open());
}

}  // namespace
}  // namespace blynk::test
