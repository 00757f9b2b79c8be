#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

using BridgeTest = ServerTest;

TEST_F(BridgeTest, WritesReachTheTargetAsBridgeFramesAndAreStoredAsItsOwn) {
    auto a = logged_in(token_a_);
    auto b = logged_in(token_b_);
    a->send_frame(cmd::kBridge, 5, body({"1", "i", token_b_}));
    EXPECT_TRUE(a->expect_response(5, status::kOk));
    a->send_frame(cmd::kBridge, 6, body({"1", "vw", "5", "hello"}));
    EXPECT_TRUE(
        b->expect(std::string("\x0f\x00\x06\x00\x0a"
                              "vw\x00"
                              "5\x00"
                              "hello",
                              15)));
    EXPECT_TRUE(a->expect_silence()) << "a delivered bridge write gets no reply";
    b->send_frame(cmd::kHardwareSync, 7, body({"vr", "5"}));
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 7, body({"vw", "5", "hello"})));
    a->send_frame(cmd::kHardwareSync, 8, body({"vr", "5"}));
    EXPECT_TRUE(a->expect_silence()) << "the value belongs to the target, not the sender";
}

TEST_F(BridgeTest, OfflineTargetGets7ButTheValueIsStored) {
    auto a = logged_in(token_a_);
    a->send_frame(cmd::kBridge, 5, body({"2", "i", token_b_}));
    EXPECT_TRUE(a->expect_response(5, status::kOk));
    a->send_frame(cmd::kBridge, 6, body({"2", "dw", "13", "1"}));
    EXPECT_TRUE(a->expect_response(6, status::kDeviceNotInNetwork));
    auto b = logged_in(token_b_);
    b->send_frame(cmd::kHardwareSync, 7);
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 7, body({"dw", "13", "1"})));
}

TEST_F(BridgeTest, EveryConnectionOfTheTargetReceivesItButNotTheSender) {
    auto a = logged_in(token_a_);
    auto b1 = logged_in(token_b_);
    auto b2 = logged_in(token_b_);
    auto a2 = logged_in(token_a_);
    a->send_frame(cmd::kBridge, 5, body({"1", "i", token_a_}));  // bridge to its own token
    EXPECT_TRUE(a->expect_response(5, status::kOk));
    a->send_frame(cmd::kBridge, 6, body({"1", "vw", "1", "self"}));
    EXPECT_TRUE(a2->expect_frame(cmd::kBridge, 6, body({"vw", "1", "self"})));
    EXPECT_TRUE(a->expect_silence());
    a->send_frame(cmd::kBridge, 7, body({"2", "i", token_b_}));
    EXPECT_TRUE(a->expect_response(7, status::kOk));
    a->send_frame(cmd::kBridge, 8, body({"2", "vw", "2", "both"}));
    EXPECT_TRUE(b1->expect_frame(cmd::kBridge, 8, body({"vw", "2", "both"})));
    EXPECT_TRUE(b2->expect_frame(cmd::kBridge, 8, body({"vw", "2", "both"})));
}

TEST_F(BridgeTest, ForeignUnknownAndUninitialisedBridgesAreRefused) {
    std::string foreign = server_->provision("bob@example.com", "Bob's board");
    // The CLI adds bob's device while the server runs: wait until the server knows it.
    ASSERT_TRUE(server_->wait_for_log("of bob@example.com added"));
    auto a = logged_in(token_a_);
    a->send_frame(cmd::kBridge, 2, body({"1", "i", foreign}));
    EXPECT_TRUE(a->expect_response(2, status::kNotAllowed));
    a->send_frame(cmd::kBridge, 3, body({"1", "i", std::string(32, 'z')}));
    EXPECT_TRUE(a->expect_response(3, status::kNotAllowed));
    a->send_frame(cmd::kBridge, 4, body({"1", "vw", "1", "x"}));
    EXPECT_TRUE(a->expect_response(4, status::kNotAllowed));
    a->send_frame(cmd::kBridge, 5, body({"1", "i"}));
    EXPECT_TRUE(a->expect_response(5, status::kIllegalCommand));
    a->send_frame(cmd::kBridge, 6, body({"3", "i", token_b_}));
    EXPECT_TRUE(a->expect_response(6, status::kOk));
    a->send_frame(cmd::kBridge, 7, body({"4", "vw", "1", "x"}));  // another pin, not set up
    EXPECT_TRUE(a->expect_response(7, status::kNotAllowed));
    a->send_frame(cmd::kBridge, 8, body({"3", "vw", "999", "x"}));
    EXPECT_TRUE(a->expect_response(8, status::kDeviceNotInNetwork));
    EXPECT_TRUE(a->expect_response(8, status::kIllegalCommand));
}

TEST_F(BridgeTest, IdZeroIsNeverSentToHardware) {
    auto a = logged_in(token_a_);
    auto b = logged_in(token_b_);
    a->send_frame(cmd::kBridge, 5, body({"1", "i", token_b_}));
    EXPECT_TRUE(a->expect_response(5, status::kOk));
    a->send_frame(cmd::kBridge, 0, body({"1", "vw", "5", "z"}));
    EXPECT_TRUE(b->expect_frame(cmd::kBridge, 1, body({"vw", "5", "z"})));
}

}  // namespace
}  // namespace blynk::test
