#include "server/hub/log_throttle.hpp"

#include <gtest/gtest.h>

namespace blynk::hub {
namespace {

using std::chrono::seconds;
using Clock = LogThrottle::Clock;

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(1000);

TEST(LogThrottle, OneLinePerIntervalWithTheCountHeldBack) {
    LogThrottle throttle(seconds(60));
    uint64_t held_back = 99;
    ASSERT_TRUE(throttle.allow(t0, held_back));
    EXPECT_EQ(held_back, 0u);
    EXPECT_FALSE(throttle.allow(t0 + seconds(1), held_back));
    EXPECT_FALSE(throttle.allow(t0 + seconds(59), held_back));
    ASSERT_TRUE(throttle.allow(t0 + seconds(60), held_back));
    EXPECT_EQ(held_back, 2u);
    ASSERT_TRUE(throttle.allow(t0 + seconds(200), held_back));
    EXPECT_EQ(held_back, 0u) << "the count starts again after each line";
}

}  // namespace
}  // namespace blynk::hub
