#include "common/util/log_throttle.hpp"

#include <gtest/gtest.h>

namespace blynk::util {
namespace {

using std::chrono::seconds;
using Clock = LogThrottle::Clock;

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(1000);

TEST(LogThrottle, OneLinePerIntervalWithTheCountHeldBack) {
    LogThrottle throttle(seconds(60));
    auto held_back = throttle.admit(t0);
    ASSERT_TRUE(held_back);
    EXPECT_EQ(*held_back, 0u);
    EXPECT_FALSE(throttle.admit(t0 + seconds(1)));
    EXPECT_FALSE(throttle.admit(t0 + seconds(59)));
    held_back = throttle.admit(t0 + seconds(60));
    ASSERT_TRUE(held_back);
    EXPECT_EQ(*held_back, 2u);
    held_back = throttle.admit(t0 + seconds(200));
    ASSERT_TRUE(held_back);
    EXPECT_EQ(*held_back, 0u) << "the count starts again after each line";
}

}  // namespace
}  // namespace blynk::util
