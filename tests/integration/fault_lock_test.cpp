// The database locked by another process for 10 s (BEGIN EXCLUSIVE held by the test): the storage
// thread waits out its busy timeout and retries, while the I/O threads never wait for it: a device
// keeps writing and getting its pings answered all along, and every value it wrote during the
// lock is in the database afterwards. The failure is logged once, not per attempt.

#include "tests/integration/fault_support.hpp"

namespace blynk::test {
namespace {

constexpr auto kLock = std::chrono::seconds(10);

TEST(FaultLock, ADatabaseLockedByAnotherProcessStallsNoSession) {
    ServerProcess server(
        {{"storage.flush.interval.ms", "200"}, {"user.message.quota.limit", "1000000"}});
    const std::string token = server.provision("alice@example.com");
    server.start();
    CounterWriter writer(server.port(), token, 5);
    writer.start();
    std::this_thread::sleep_for(500ms);

    store::Database blocker(server.database_location());
    blocker.exec("BEGIN EXCLUSIVE", "lock the database");
    const auto locked_at = Clock::now();
    std::this_thread::sleep_for(kLock);
    const int64_t written_during_lock = writer.last_acked();
    const auto unlocked_at = Clock::now();
    blocker.exec("ROLLBACK", "unlock the database");

    // Pings answered in every second of the lock: the I/O thread never waited for the disk.
    std::vector<int> acks_per_second(kLock.count());
    ASSERT_TRUE(server.wait_for_log("storage writes succeed again", 10s)) << server.log();
    writer.stop();
    for (const auto& ack : writer.acks()) {
        if (ack.at < locked_at || ack.at >= unlocked_at) continue;
        const auto second =
            std::chrono::duration_cast<std::chrono::seconds>(ack.at - locked_at).count();
        if (second < kLock.count()) ++acks_per_second[second];
    }
    for (size_t s = 0; s < acks_per_second.size(); ++s)
        EXPECT_GE(acks_per_second[s], 5) << "second " << s << " of the lock";

    // Nothing written during the lock is lost.
    const auto deadline = Clock::now() + 5s;
    while (stored_counter(server.database_location(), token) < written_during_lock &&
           Clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    EXPECT_GE(stored_counter(server.database_location(), token), written_during_lock);
    const std::string log = server.log();
    EXPECT_EQ(occurrences(log, "storage writes failing"), 1u) << log;
    print_lines(log, "storage writes");
    EXPECT_NE(log.find("database is locked"), std::string::npos) << log;
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace blynk::test
