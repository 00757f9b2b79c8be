#include "server/hub/login_limiter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace blynk::hub {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

const Clock::time_point t0 = Clock::time_point{} + hours(1000);

LoginLimits limits(uint32_t per_account, uint32_t per_address, size_t max_tracked = 100000) {
    LoginLimits l;
    l.per_account = per_account;
    l.per_address = per_address;
    l.window = seconds(900);
    l.lockout = seconds(900);
    l.max_tracked = max_tracked;
    return l;
}

TEST(LoginLimiter, DefaultsAreFiveAndTwentyInFifteenMinutes) {
    LoginLimits l;
    EXPECT_EQ(l.per_account, 5u);
    EXPECT_EQ(l.per_address, 20u);
    EXPECT_EQ(l.window, seconds(900));
    EXPECT_EQ(l.lockout, seconds(900));
    EXPECT_EQ(l.max_tracked, 100000u);
}

TEST(LoginLimiter, TheFifthFailureLocksTheAccount) {
    LoginLimiter limiter(limits(5, 20));
    for (int i = 1; i <= 4; ++i) {
        const auto now = t0 + seconds(i);
        EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", now), seconds(0)) << i;
        EXPECT_FALSE(limiter.failed("10.0.0.1", "a@x.com", now)) << i;
    }
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", t0 + seconds(5)), seconds(0));
    EXPECT_TRUE(limiter.failed("10.0.0.1", "a@x.com", t0 + seconds(5)));
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", t0 + seconds(5)), seconds(900));
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", t0 + seconds(105)), seconds(800));
    // Locked from another address too: the account is what is locked.
    EXPECT_EQ(limiter.locked_for("10.0.0.2", "a@x.com", t0 + seconds(5)), seconds(900));
    // Other accounts from the same address are not locked.
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "b@x.com", t0 + seconds(5)), seconds(0));
}

TEST(LoginLimiter, AccountFailuresAddUpAcrossAddresses) {
    LoginLimiter limiter(limits(5, 20));
    for (int i = 0; i < 4; ++i)
        EXPECT_FALSE(limiter.failed("10.0.0." + std::to_string(i), "a@x.com", t0 + seconds(i)));
    EXPECT_TRUE(limiter.failed("10.0.0.9", "a@x.com", t0 + seconds(4)));
    EXPECT_EQ(limiter.locked_for("192.0.2.1", "a@x.com", t0 + seconds(4)), seconds(900));
}

TEST(LoginLimiter, AccountNamesIgnoreAsciiCase) {
    LoginLimiter limiter(limits(2, 20));
    EXPECT_FALSE(limiter.failed("10.0.0.1", "A@X.com", t0));
    EXPECT_TRUE(limiter.failed("10.0.0.2", "a@x.COM", t0));
    EXPECT_EQ(limiter.locked_for("10.0.0.3", "a@x.com", t0), seconds(900));
}

TEST(LoginLimiter, LockEndsAfterTheLockoutAndCountingStartsAfresh) {
    LoginLimiter limiter(limits(3, 100));
    limiter.failed("10.0.0.1", "a@x.com", t0);
    limiter.failed("10.0.0.1", "a@x.com", t0 + seconds(1));
    ASSERT_TRUE(limiter.failed("10.0.0.1", "a@x.com", t0 + seconds(2)));
    const auto unlock = t0 + seconds(2) + seconds(900);
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", unlock - milliseconds(1)), seconds(1));
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", unlock), seconds(0));
    // A fresh budget of three: two failures do not lock, the third does.
    EXPECT_FALSE(limiter.failed("10.0.0.1", "a@x.com", unlock));
    EXPECT_FALSE(limiter.failed("10.0.0.1", "a@x.com", unlock + seconds(1)));
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", unlock + seconds(1)), seconds(0));
    EXPECT_TRUE(limiter.failed("10.0.0.1", "a@x.com", unlock + seconds(2)));
}

TEST(LoginLimiter, FailuresInAnEndedWindowDoNotCount) {
    LoginLimiter limiter(limits(3, 100));
    limiter.failed("10.0.0.1", "a@x.com", t0);
    limiter.failed("10.0.0.1", "a@x.com", t0 + seconds(899));
    // The window started at t0 ended at t0 + 900 s: this failure is the first of a new window.
    EXPECT_FALSE(limiter.failed("10.0.0.1", "a@x.com", t0 + seconds(900)));
    EXPECT_FALSE(limiter.failed("10.0.0.1", "a@x.com", t0 + seconds(901)));
    EXPECT_TRUE(limiter.failed("10.0.0.1", "a@x.com", t0 + seconds(902)));
}

TEST(LoginLimiter, AFailureDuringALockExtendsItWithoutReportingANewLock) {
    LoginLimiter limiter(limits(2, 100));
    limiter.failed("10.0.0.1", "a@x.com", t0);
    ASSERT_TRUE(limiter.failed("10.0.0.1", "a@x.com", t0));
    // A guess checked just before the lock (a race between strands) and judged after it.
    EXPECT_FALSE(limiter.failed("10.0.0.1", "a@x.com", t0 + seconds(100)));
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", t0 + seconds(100)), seconds(900));
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", t0 + seconds(999)), seconds(1));
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", t0 + seconds(1000)), seconds(0));
}

TEST(LoginLimiter, AddressLimitIsIndependentOfAccounts) {
    LoginLimiter limiter(limits(5, 20));
    // A spray: one failure each on 20 accounts from one address.
    for (int i = 0; i < 19; ++i) {
        EXPECT_FALSE(limiter.failed("203.0.113.7", "user" + std::to_string(i) + "@x.com", t0)) << i;
    }
    EXPECT_EQ(limiter.locked_for("203.0.113.7", "fresh@x.com", t0), seconds(0));
    EXPECT_TRUE(limiter.failed("203.0.113.7", "user19@x.com", t0));
    // The address is locked for every account, even one never tried...
    EXPECT_EQ(limiter.locked_for("203.0.113.7", "fresh@x.com", t0), seconds(900));
    // ...while the accounts themselves (one failure each) stay open from elsewhere.
    EXPECT_EQ(limiter.locked_for("198.51.100.1", "user0@x.com", t0), seconds(0));
    EXPECT_EQ(limiter.locked_for("198.51.100.1", "fresh@x.com", t0), seconds(0));
}

TEST(LoginLimiter, LockedForIsTheLongerOfAddressAndAccount) {
    LoginLimiter limiter(limits(2, 3));
    limiter.failed("10.0.0.1", "a@x.com", t0);
    ASSERT_TRUE(limiter.failed("10.0.0.1", "a@x.com", t0));  // account locked until t0 + 900
    ASSERT_TRUE(limiter.failed("10.0.0.1", "b@x.com", t0 + seconds(300)));  // address: 3rd
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", t0 + seconds(300)), seconds(900));
    EXPECT_EQ(limiter.locked_for("10.0.0.2", "a@x.com", t0 + seconds(300)), seconds(600));
}

TEST(LoginLimiter, SuccessClearsTheAccountButNotTheAddress) {
    LoginLimiter limiter(limits(3, 4));
    limiter.failed("10.0.0.1", "a@x.com", t0);
    limiter.failed("10.0.0.1", "a@x.com", t0 + seconds(1));
    limiter.succeeded("10.0.0.1", "A@x.com");
    // The account has its whole budget again: two more failures do not lock it...
    EXPECT_FALSE(limiter.failed("10.0.0.2", "a@x.com", t0 + seconds(2)));
    EXPECT_FALSE(limiter.failed("10.0.0.2", "a@x.com", t0 + seconds(3)));
    EXPECT_EQ(limiter.locked_for("10.0.0.2", "a@x.com", t0 + seconds(3)), seconds(0));
    // ...but 10.0.0.1 still has its two failures: two more reach its limit of four.
    EXPECT_FALSE(limiter.failed("10.0.0.1", "b@x.com", t0 + seconds(4)));
    EXPECT_TRUE(limiter.failed("10.0.0.1", "c@x.com", t0 + seconds(5)));
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "d@x.com", t0 + seconds(5)), seconds(900));
}

TEST(LoginLimiter, SuccessUnlocksALockedAccount) {
    // The caller checks locked_for first, so this happens only when another path proved the
    // password (e.g. a reset); the account's lock is its failures, and they are cleared.
    LoginLimiter limiter(limits(1, 100));
    ASSERT_TRUE(limiter.failed("10.0.0.1", "a@x.com", t0));
    limiter.succeeded("10.0.0.1", "a@x.com");
    EXPECT_EQ(limiter.locked_for("10.0.0.2", "a@x.com", t0), seconds(0));
}

TEST(LoginLimiter, ZeroLimitsDisableThatSide) {
    LoginLimiter limiter(limits(0, 0));
    for (int i = 0; i < 100; ++i)
        EXPECT_FALSE(limiter.failed("10.0.0.1", "a@x.com", t0));
    EXPECT_EQ(limiter.locked_for("10.0.0.1", "a@x.com", t0), seconds(0));
    EXPECT_EQ(limiter.tracked_accounts(), 0u);
    EXPECT_EQ(limiter.tracked_addresses(), 0u);
}

TEST(LoginLimiter, TablesNeverExceedMaxTracked) {
    LoginLimiter limiter(limits(5, 20, 50));
    for (int i = 0; i < 1000; ++i) {
        limiter.failed("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256),
                       "user" + std::to_string(i) + "@x.com", t0 + milliseconds(i));
        ASSERT_LE(limiter.tracked_accounts(), 50u);
        ASSERT_LE(limiter.tracked_addresses(), 50u);
    }
    EXPECT_EQ(limiter.tracked_accounts(), 50u);
}

TEST(LoginLimiter, WhenFullEndedWindowsGoFirst) {
    LoginLimiter limiter(limits(2, 100, 3));
    limiter.failed("10.0.0.1", "old1@x.com", t0);
    limiter.failed("10.0.0.1", "old2@x.com", t0);
    limiter.failed("10.0.0.1", "live@x.com", t0 + seconds(500));
    ASSERT_EQ(limiter.tracked_accounts(), 3u);
    // At t0 + 950 the first two windows have ended; the new entry replaces them, not "live".
    limiter.failed("10.0.0.1", "new@x.com", t0 + seconds(950));
    EXPECT_EQ(limiter.tracked_accounts(), 2u);
    EXPECT_TRUE(limiter.failed("10.0.0.1", "live@x.com", t0 + seconds(951)));
}

TEST(LoginLimiter, WhenFullOfLiveEntriesTheOldestGoes) {
    LoginLimiter limiter(limits(2, 100, 2));
    limiter.failed("10.0.0.1", "first@x.com", t0);
    limiter.failed("10.0.0.1", "second@x.com", t0 + seconds(1));
    limiter.failed("10.0.0.1", "third@x.com", t0 + seconds(2));  // evicts "first"
    EXPECT_EQ(limiter.tracked_accounts(), 2u);
    // "second" kept its failure (this one locks it); "first" was forgotten (this one does not).
    EXPECT_TRUE(limiter.failed("10.0.0.1", "second@x.com", t0 + seconds(3)));
    EXPECT_FALSE(limiter.failed("10.0.0.1", "first@x.com", t0 + seconds(4)));
}

TEST(LoginLimiter, EndedEntriesAreDroppedWithoutPressure) {
    LoginLimiter limiter(limits(5, 20));
    for (int i = 0; i < 10; ++i)
        limiter.failed("10.0.0." + std::to_string(i), "u" + std::to_string(i), t0);
    EXPECT_EQ(limiter.tracked_accounts(), 10u);
    EXPECT_EQ(limiter.tracked_addresses(), 10u);
    limiter.locked_for("10.0.0.1", "u1", t0 + seconds(900));
    EXPECT_EQ(limiter.tracked_accounts(), 0u);
    EXPECT_EQ(limiter.tracked_addresses(), 0u);
}

TEST(LoginLimiter, ManyThreadsCountEveryFailure) {
    LoginLimiter limiter(limits(1000, 0));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&limiter, t] {
            for (int i = 0; i < 250; ++i)
                limiter.failed("10.0.0." + std::to_string(t), "shared@x.com", t0);
        });
    }
    for (auto& thread : threads)
        thread.join();
    // 1000 failures: exactly the limit, so the account is locked now.
    EXPECT_EQ(limiter.locked_for("10.9.9.9", "shared@x.com", t0), seconds(900));
}

TEST(TokenGuessLimiter, DefaultsAreNineAtOnceAndABlockAtOneHundredInFifteenMinutes) {
    TokenGuessLimits l;
    EXPECT_EQ(l.answered_at_once, 9u);
    EXPECT_EQ(l.per_address, 100u);
    EXPECT_EQ(l.lockout, seconds(900));
}

TEST(TokenGuessLimiter, DelayIsZeroThenDoublesFromOneSecondUpToEight) {
    using L = TokenGuessLimiter;
    EXPECT_EQ(L::delay_for(1, 9), milliseconds(0));
    EXPECT_EQ(L::delay_for(9, 9), milliseconds(0));
    EXPECT_EQ(L::delay_for(10, 9), milliseconds(1000));
    EXPECT_EQ(L::delay_for(11, 9), milliseconds(2000));
    EXPECT_EQ(L::delay_for(12, 9), milliseconds(4000));
    EXPECT_EQ(L::delay_for(13, 9), milliseconds(8000));
    EXPECT_EQ(L::delay_for(14, 9), milliseconds(8000));
    EXPECT_EQ(L::delay_for(4000000000u, 9), milliseconds(8000)) << "no overflow";
    EXPECT_EQ(L::delay_for(1, 0), milliseconds(1000)) << "0 = every wrong token waits";
}

TEST(TokenGuessLimiter, ATypoGetsNineQuickAnswersThenSlowerOnesThenABlock) {
    TokenGuessLimiter g(TokenGuessLimits{9, 14});
    for (int i = 1; i <= 9; ++i) {
        auto v = g.failed("10.0.0.1", t0);
        EXPECT_EQ(v.delay, milliseconds(0)) << i;
        EXPECT_FALSE(v.block_started);
    }
    EXPECT_EQ(g.failed("10.0.0.1", t0).delay, milliseconds(1000));
    EXPECT_EQ(g.failed("10.0.0.1", t0).delay, milliseconds(2000));
    EXPECT_EQ(g.failed("10.0.0.1", t0).delay, milliseconds(4000));
    EXPECT_EQ(g.failed("10.0.0.1", t0).delay, milliseconds(8000));
    EXPECT_EQ(g.blocked_for("10.0.0.1", t0), seconds(0));
    auto blocking = g.failed("10.0.0.1", t0 + seconds(1));
    EXPECT_TRUE(blocking.block_started) << "the 14th";
    EXPECT_EQ(g.blocked_for("10.0.0.1", t0 + seconds(1)), seconds(900));
    EXPECT_EQ(g.blocked_for("10.0.0.2", t0 + seconds(1)), seconds(0)) << "per address";
    EXPECT_EQ(g.failed("10.0.0.2", t0).delay, milliseconds(0));
}

TEST(TokenGuessLimiter, TheBlockEndsAndCountingStartsAfresh) {
    TokenGuessLimiter g(TokenGuessLimits{2, 3});
    for (int i = 0; i < 3; ++i)
        g.failed("a", t0);
    EXPECT_EQ(g.blocked_for("a", t0 + seconds(899)), seconds(1));
    EXPECT_EQ(g.blocked_for("a", t0 + seconds(900)), seconds(0));
    auto v = g.failed("a", t0 + seconds(900));
    EXPECT_EQ(v.delay, milliseconds(0)) << "a new window: quick answers again";
    EXPECT_FALSE(v.block_started);
}

TEST(TokenGuessLimiter, AnEndedWindowForgetsSlowFailures) {
    TokenGuessLimiter g(TokenGuessLimits{1, 100});
    g.failed("a", t0);
    EXPECT_EQ(g.failed("a", t0 + seconds(10)).delay, milliseconds(1000));
    EXPECT_EQ(g.failed("a", t0 + seconds(900)).delay, milliseconds(0)) << "window over";
}

TEST(HourlyLimiter, AllowsPerHourThenRefusesUntilTheWindowEnds) {
    HourlyLimiter limiter(3);
    EXPECT_TRUE(limiter.try_acquire("10.0.0.1", t0));
    EXPECT_TRUE(limiter.try_acquire("10.0.0.1", t0 + seconds(10)));
    EXPECT_TRUE(limiter.try_acquire("10.0.0.1", t0 + seconds(20)));
    EXPECT_FALSE(limiter.try_acquire("10.0.0.1", t0 + seconds(30)));
    // Another address has its own budget.
    EXPECT_TRUE(limiter.try_acquire("10.0.0.2", t0 + seconds(30)));
    // The window is one hour from the first acquisition: refused up to its last instant...
    EXPECT_FALSE(limiter.try_acquire("10.0.0.1", t0 + hours(1) - milliseconds(1)));
    // ...and a fresh budget from its end.
    EXPECT_TRUE(limiter.try_acquire("10.0.0.1", t0 + hours(1)));
    EXPECT_TRUE(limiter.try_acquire("10.0.0.1", t0 + hours(1)));
    EXPECT_TRUE(limiter.try_acquire("10.0.0.1", t0 + hours(1)));
    EXPECT_FALSE(limiter.try_acquire("10.0.0.1", t0 + hours(1)));
}

TEST(HourlyLimiter, RefusalsDoNotCount) {
    HourlyLimiter limiter(1);
    EXPECT_TRUE(limiter.try_acquire("10.0.0.1", t0));
    for (int i = 1; i < 100; ++i)
        EXPECT_FALSE(limiter.try_acquire("10.0.0.1", t0 + seconds(i * 30)));
    EXPECT_TRUE(limiter.try_acquire("10.0.0.1", t0 + hours(1)));
}

TEST(HourlyLimiter, ZeroIsUnlimited) {
    HourlyLimiter limiter(0);
    for (int i = 0; i < 10000; ++i)
        ASSERT_TRUE(limiter.try_acquire("10.0.0.1", t0));
    EXPECT_EQ(limiter.tracked(), 0u);
}

TEST(HourlyLimiter, RemembersAtMostMaxTrackedAddresses) {
    HourlyLimiter limiter(1, 10);
    for (int i = 0; i < 100; ++i) {
        EXPECT_TRUE(limiter.try_acquire("10.0.1." + std::to_string(i), t0 + seconds(i)));
        ASSERT_LE(limiter.tracked(), 10u);
    }
    // The most recent address is still remembered and refused.
    EXPECT_FALSE(limiter.try_acquire("10.0.1.99", t0 + seconds(100)));
}

}  // namespace
}  // namespace blynk::hub
