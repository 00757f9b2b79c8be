#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "server/net/deadline_wheel.hpp"

namespace blynk::net {
namespace {

using Clock = DeadlineWheel::Clock;
using std::chrono::milliseconds;

const Clock::time_point kOrigin{std::chrono::hours(1)};

struct Recorder final : DeadlineWheel::Entry {
    explicit Recorder(const Clock::time_point& clock) : now(clock) {}
    void deadline_reached() override {
        reports.push_back(
            static_cast<int>(std::chrono::duration_cast<milliseconds>(now - kOrigin).count()));
    }
    const Clock::time_point& now;
    std::vector<int> reports;  ///< the time of each report, in ms after kOrigin
};

class DeadlineWheelTest : public ::testing::Test {
protected:
    /// Advances in steps of 10 ms up to `ms` after the origin.
    void run_until(int ms) {
        while (now_ < kOrigin + milliseconds(ms)) {
            now_ += milliseconds(10);
            wheel_.advance(now_);
        }
    }
    Clock::time_point now_ = kOrigin;
    DeadlineWheel wheel_{kOrigin, milliseconds(100), 8};  // one turn: 800 ms
};

TEST_F(DeadlineWheelTest, ReportsAtTheFirstTickAtOrAfterTheDeadline) {
    Recorder on_tick(now_), between(now_);
    wheel_.schedule(on_tick, kOrigin + milliseconds(300));
    wheel_.schedule(between, kOrigin + milliseconds(301));
    EXPECT_EQ(wheel_.size(), 2u);
    run_until(1000);
    EXPECT_EQ(on_tick.reports, std::vector<int>{300});
    EXPECT_EQ(between.reports, std::vector<int>{400});
    EXPECT_EQ(wheel_.size(), 0u);
}

TEST_F(DeadlineWheelTest, PastDeadlineIsReportedAtTheNextTick) {
    run_until(500);
    Recorder late(now_);
    wheel_.schedule(late, kOrigin + milliseconds(100));
    run_until(590);
    EXPECT_TRUE(late.reports.empty());
    run_until(700);
    EXPECT_EQ(late.reports, std::vector<int>{600});
}

TEST_F(DeadlineWheelTest, RescheduleMovesAndCancelRemoves) {
    Recorder moved(now_), cancelled(now_), kept(now_);
    for (Recorder* r : {&moved, &cancelled, &kept})
        wheel_.schedule(*r, kOrigin + milliseconds(200));
    wheel_.schedule(moved, kOrigin + milliseconds(600));
    wheel_.cancel(cancelled);
    wheel_.cancel(cancelled);  // twice is harmless
    EXPECT_EQ(wheel_.size(), 2u);
    run_until(1000);
    EXPECT_EQ(moved.reports, std::vector<int>{600});
    EXPECT_TRUE(cancelled.reports.empty());
    EXPECT_EQ(kept.reports, std::vector<int>{200});
}

TEST_F(DeadlineWheelTest, BeyondOneTurnIsReportedEarlyByWholeTurns) {
    // 1,000 ms is tick 10, slot 2 of 8: reported at tick 2; the owner re-checks and reschedules.
    Recorder far(now_);
    wheel_.schedule(far, kOrigin + milliseconds(1000));
    run_until(250);
    ASSERT_EQ(far.reports, std::vector<int>{200});
    wheel_.schedule(far, kOrigin + milliseconds(1000));
    run_until(2000);
    EXPECT_EQ(far.reports, (std::vector<int>{200, 1000}));
}

TEST_F(DeadlineWheelTest, AStallReportsEverythingOnce) {
    Recorder a(now_), b(now_), c(now_);
    wheel_.schedule(a, kOrigin + milliseconds(100));
    wheel_.schedule(b, kOrigin + milliseconds(450));
    wheel_.schedule(c, kOrigin + milliseconds(790));
    now_ = kOrigin + milliseconds(5000);  // many turns at once
    wheel_.advance(now_);
    EXPECT_EQ(a.reports, std::vector<int>{5000});
    EXPECT_EQ(b.reports, std::vector<int>{5000});
    EXPECT_EQ(c.reports, std::vector<int>{5000});
    EXPECT_EQ(wheel_.size(), 0u);
}

TEST_F(DeadlineWheelTest, ManyEntriesInOneSlotAreAllReported) {
    std::vector<std::unique_ptr<Recorder>> many;
    for (int i = 0; i < 100; ++i) {
        many.push_back(std::make_unique<Recorder>(now_));
        wheel_.schedule(*many.back(), kOrigin + milliseconds(300));
    }
    wheel_.cancel(*many[50]);
    run_until(400);
    for (size_t i = 0; i < many.size(); ++i)
        EXPECT_EQ(many[i]->reports.size(), i == 50 ? 0u : 1u) << i;
}

}  // namespace
}  // namespace blynk::net
