// The automation against the real binary: a Timer widget's slot reaches the board as HARDWARE
// with id 7777 (and the app sees it), a Time Input's schedule reaches it again at its start and
// stop, an Eventor rule writes a pin when a board's value comes over a threshold, and restarts
// (with the wall clock moved by libfaketime) neither repeat a slot nor forget a stop that passed
// while the server was down.

#include <ctime>
#include <fstream>

#include "tests/integration/fault_support.hpp"
#include "tests/support/app_fixture.hpp"

namespace blynk::test {
namespace {

constexpr const char* kFaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

/// Seconds of the UTC day `ahead` seconds from now (+ `offset` seconds of faked time).
int64_t utc_second_of_day(int64_t ahead, int64_t offset = 0) {
    return (static_cast<int64_t>(std::time(nullptr)) + offset + ahead) % 86400;
}

std::string timer(int64_t start, int64_t stop) {
    return R"({"id":50,"type":"TIMER","x":0,"y":0,"width":2,"height":1,"deviceId":0,)"
           R"("pinType":"VIRTUAL","pin":5,"startTime":)" +
           std::to_string(start) + R"(,"startValue":"1","stopTime":)" + std::to_string(stop) +
           R"(,"stopValue":"0"})";
}

class AutomationTest : public AppTest {
protected:
    /// Logs an app in, adds `widget` to dashboard 1 (the CLI device's) and activates it.
    std::unique_ptr<AppClient> app_with(const std::string& widget) {
        auto a = logged_in_app();
        a->send(cmd::kCreateWidget, 2, body({"1", widget}));
        EXPECT_TRUE(a->expect_response(2, status::kOk));
        a->send(cmd::kActivateDashboard, 3, "1");
        a->read_frame();  // 200, or 7 while the board is offline
        return a;
    }
};

TEST_F(AutomationTest, TimerSlotReachesTheBoardWithId7777AndTheApp) {
    auto b = board(cli_token_);
    auto a = app_with(timer(utc_second_of_day(3), utc_second_of_day(5)));
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 7777, body({"vw", "5", "1"}), 5s));
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 7777, body({"vw", "5", "0"}), 5s));
    // The app saw both, in the relay format, among the answers to its activation.
    std::string seen;
    for (int i = 0; i < 10; ++i) {
        auto f = a->read_frame(1s);
        if (!f) break;
        if (f->command == cmd::kHardware && f->id == 7777) seen += f->body + "|";
    }
    EXPECT_EQ(seen, body({"1-0", "vw", "5", "1"}) + "|" + body({"1-0", "vw", "5", "0"}) + "|");
    EXPECT_TRUE(b->expect_silence(1500ms)) << "each slot fires once";
}

TEST_F(AutomationTest, TimerOfAnInactiveDashboardDoesNothing) {
    auto b = board(cli_token_);
    auto a = app_with(timer(utc_second_of_day(2), -1));
    a->send(cmd::kDeactivateDashboard, 4, "1");
    EXPECT_TRUE(b->expect_silence(4s));
}

TEST_F(AutomationTest, EventorRuleWritesAPinWhenTheValueComesOverAThreshold) {
    auto b = board(cli_token_);
    auto a = app_with(R"({"id":60,"type":"EVENTOR","x":0,"y":0,"width":2,"height":1,"deviceId":0,
        "rules":[{"triggerPin":{"pinType":"VIRTUAL","pin":1},"condition":{"type":"GT","value":30},
                  "isActive":true,"actions":[{"type":"SETPIN","pin":{"pinType":"VIRTUAL","pin":2},
                  "value":"alarm"}]}]})");
    b->send_frame(cmd::kHardware, 10, body({"vw", "1", "25"}));
    EXPECT_TRUE(b->expect_silence(500ms)) << "under the threshold";
    b->send_frame(cmd::kHardware, 11, body({"vw", "1", "35"}));
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 888, body({"vw", "2", "alarm"})));
    b->send_frame(cmd::kHardware, 12, body({"vw", "1", "40"}));
    EXPECT_TRUE(b->expect_silence(500ms)) << "still over it: fired on the way in only";
    b->send_frame(cmd::kHardware, 13, body({"vw", "1", "20"}));
    b->send_frame(cmd::kHardware, 14, body({"vw", "1", "31"}));
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 888, body({"vw", "2", "alarm"})));
    // The rule's write is stored like any other: a sync returns it.
    b->send_frame(cmd::kHardwareSync, 15, body({"vr", "2"}));
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 15, body({"vw", "2", "alarm"})));
}

TEST_F(AutomationTest, TimeInputScheduleIsSentToTheBoardAgainAtItsStartAndStop) {
    auto b = board(cli_token_);
    auto a = app_with(R"({"id":70,"type":"TIME_INPUT","x":0,"y":0,"width":4,"height":1,)"
                      R"("deviceId":0,"pinType":"VIRTUAL","pin":6})");
    const std::string start = std::to_string(utc_second_of_day(3));
    const std::string stop = std::to_string(utc_second_of_day(5));
    a->send(cmd::kHardware, 30, body({"1-0", "vw", "6", start, stop, "UTC"}));
    const std::string schedule = body({"vw", "6", start, stop, "UTC"});
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 30, schedule)) << "the app's write";
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 7777, schedule, 5s)) << "at the start";
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 7777, schedule, 5s)) << "at the stop";
    EXPECT_TRUE(b->expect_silence(1500ms));

    // The board sets a new schedule (as UpdateTimeInputState does): that one runs instead.
    const std::string next = std::to_string(utc_second_of_day(2));
    b->send_frame(cmd::kHardware, 31, body({"vw", "6", next, "", "UTC", "1,2,3,4,5,6,7"}));
    EXPECT_TRUE(b->expect_frame(cmd::kHardware, 7777,
                                body({"vw", "6", next, "", "UTC", "1,2,3,4,5,6,7"}), 5s));
    EXPECT_TRUE(b->expect_silence(1500ms));
}

/// Restarts under libfaketime: the wall clock is moved while the server is down.
class AutomationRestartTest : public AutomationTest {
protected:
    void SetUp() override {
#if defined(BLYNKD_EMULATOR) || defined(__SANITIZE_ADDRESS__)
        GTEST_SKIP() << "needs libfaketime preloaded into blynkd (see fault_clock_test.cpp)";
#endif
        ASSERT_TRUE(std::filesystem::exists(kFaketime))
            << kFaketime << " is missing: run scripts/install-deps.sh test (package faketime)";
        AutomationTest::SetUp();  // started once without faketime to set up the account
        server_->stop();
        offset_file_ = server_->data_dir() / "faketime.rc";
        set_offset(0);
        server_->set_server_prefix({"env", std::string("LD_PRELOAD=") + kFaketime,
                                    "FAKETIME_TIMESTAMP_FILE=" + offset_file_.string(),
                                    "FAKETIME_NO_CACHE=1", "FAKETIME_DONT_FAKE_MONOTONIC=1"});
        server_->start();
    }
    /// Written aside and renamed: libfaketime re-reads the file on every clock call.
    void set_offset(int64_t seconds) {
        const auto written = offset_file_.string() + ".new";
        std::ofstream(written) << (seconds < 0 ? "" : "+") << seconds << "\n";
        std::filesystem::rename(written, offset_file_);
    }
    std::string synced_d5() {
        auto b = board(cli_token_);
        b->send_frame(cmd::kHardwareSync, 20, body({"vr", "5"}));
        return b->read_for(500ms);
    }
    std::filesystem::path offset_file_;
};

TEST_F(AutomationRestartTest, StopMissedWhileDownIsAppliedOnceAndNothingRepeats) {
    auto b = board(cli_token_);
    {
        auto a = app_with(timer(utc_second_of_day(2), utc_second_of_day(60)));
        EXPECT_TRUE(b->expect_frame(cmd::kHardware, 7777, body({"vw", "5", "1"}), 5s));
    }
    b.reset();
    ASSERT_EQ(server_->stop(), 0);

    // Down across the stop slot: at start-up the stop value is applied, once.
    set_offset(120);
    server_->start();
    ASSERT_TRUE(server_->wait_for_log("firing the slot")) << server_->log();
    EXPECT_EQ(occurrences(server_->log(), "is applied late"), 1u) << server_->log();
    EXPECT_EQ(synced_d5(), frame(cmd::kHardware, 20, body({"vw", "5", "0"})));
    EXPECT_EQ(occurrences(server_->log(), "firing the slot"), 1u) << server_->log();
    ASSERT_EQ(server_->stop(), 0);

    // Started again later the same day: nothing is due again.
    set_offset(180);
    server_->start();
    b = board(cli_token_);
    EXPECT_TRUE(b->expect_silence(2500ms));
    EXPECT_EQ(occurrences(server_->log(), "firing the slot"), 0u) << server_->log();
    ASSERT_EQ(server_->stop(), 0);

    // The clock went back an hour, before today's start: the slots handled do not fire again.
    set_offset(-3600 + 2);
    server_->start();
    b = board(cli_token_);
    EXPECT_TRUE(b->expect_silence(2500ms));
    EXPECT_EQ(occurrences(server_->log(), "firing the slot"), 0u) << server_->log();
    set_offset(0);
}

}  // namespace
}  // namespace blynk::test
