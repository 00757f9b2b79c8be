// Provisioning limits under concurrency: many `blynkd device add` processes for one user at once
// never take the user past user.devices.limit or user.dashboard.max.limit (the checks run inside
// the insert's transaction: SQLite's write lock, PostgreSQL's advisory lock). On both engines.

#include <thread>
#include <vector>

#include "server/store/store.hpp"
#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

constexpr int kProcesses = 16;
constexpr int kLimit = 3;

/// Runs `make_args(i)` for i in [0, kProcesses) as concurrent CLI processes.
std::vector<CommandResult> run_at_once(const ServerProcess& server,
                                       const std::function<std::vector<std::string>(int)>& args) {
    std::vector<CommandResult> results(kProcesses);
    std::vector<std::thread> threads;
    for (int i = 0; i < kProcesses; ++i)
        threads.emplace_back([&, i] { results[i] = server.cli(args(i)); });
    for (auto& t : threads)
        t.join();
    return results;
}

/// Each refusal names the limit it hit; returns how many calls succeeded.
int successes(const std::vector<CommandResult>& results, const std::string& limit_text) {
    int ok = 0;
    for (const auto& r : results) {
        if (r.exit_code == 0) {
            ++ok;
        } else {
            EXPECT_NE(r.err.find(limit_text), std::string::npos) << r.err;
        }
    }
    return ok;
}

class FaultCliRace : public ::testing::TestWithParam<std::string> {};

TEST_P(FaultCliRace, ConcurrentDeviceAddsStayWithinTheDeviceLimit) {
    ServerProcess server({{"storage", GetParam()}});
    ASSERT_EQ(server.cli({"user", "add", "alice@example.com"}).exit_code, 0);
    const std::string limit = "user.devices.limit=" + std::to_string(kLimit);
    auto results = run_at_once(server, [&](int i) {
        return std::vector<std::string>{
            "device", "add", "alice@example.com", "--name", std::to_string(i), "--set", limit};
    });
    EXPECT_EQ(successes(results, "(limit 3)"), kLimit);
    store::Store db(server.database_location());
    EXPECT_EQ(db.list_devices("alice@example.com").size(), static_cast<size_t>(kLimit));
}

// Each process adds its device to a dashboard of its own: before the fix, the dashboard count
// was read before the insert's transaction, and several processes passed it together.
TEST_P(FaultCliRace, ConcurrentDeviceAddsStayWithinTheDashboardLimit) {
    ServerProcess server({{"storage", GetParam()}});
    ASSERT_EQ(server.cli({"user", "add", "alice@example.com"}).exit_code, 0);
    const std::string limit = "user.dashboard.max.limit=" + std::to_string(kLimit);
    auto results = run_at_once(server, [&](int i) {
        return std::vector<std::string>{
            "device", "add", "alice@example.com", "--dash", std::to_string(i + 1), "--set", limit};
    });
    EXPECT_EQ(successes(results, "user.dashboard.max.limit"), kLimit);
    store::Store db(server.database_location());
    auto users = db.list_users();
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].dashboards, static_cast<size_t>(kLimit));
    EXPECT_EQ(users[0].devices, static_cast<size_t>(kLimit));
}

INSTANTIATE_TEST_SUITE_P(Engines, FaultCliRace, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace blynk::test
