// A full disk, made with a file-size limit on the running server (prlimit(2) RLIMIT_FSIZE: writes
// fail with EFBIG, as they would with ENOSPC, and no mount is needed). While it lasts a device and
// an app keep exchanging values, the failure is logged once (not per batch), the backlog keeps
// the values already waiting and drops new slots beyond storage.backlog.max.values; when the
// limit is lifted everything kept is written.

#include <sys/resource.h>

#include <cstring>

#include "tests/integration/fault_support.hpp"
#include "tests/support/app_client.hpp"

namespace blynk::test {
namespace {

constexpr const char* kAlice = "alice@example.com";
constexpr const char* kPassword = "correct horse";
constexpr int kBacklog = 100;
constexpr int kAlicePins = 80;  // plus v100, written by the app: 81 slots
constexpr int kBobPins = 50;    // only 100 - 81 = 19 of them fit

void set_file_size_limit(pid_t pid, rlim_t bytes) {
    const rlimit limit{bytes, RLIM_INFINITY};
    ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, &limit, nullptr), 0) << std::strerror(errno);
}

std::string token_of(const CommandResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
}

TEST(FaultDiskFull, RoutingGoesOnAndTheBoundedBacklogIsWrittenWhenSpaceReturns) {
    ServerProcess server({{"storage.flush.interval.ms", "200"},
                          {"storage.backlog.max.values", std::to_string(kBacklog)},
                          {"user.message.quota.limit", "1000000"}});
    // The log must not be a file the limit applies to: the server's stderr goes through a pipe
    // to cat, which appends it to the log file.
    server.set_server_prefix({"/bin/bash", "-c", "exec \"$@\" 2> >(exec cat >&2)", "blynkd"});
    ASSERT_EQ(server.cli({"user", "add", kAlice, "--password", kPassword}).exit_code, 0);
    const std::string alice = token_of(server.cli({"device", "add", kAlice}));
    const std::string bob = server.provision("bob@example.com");
    server.start();

    AppClient app(server.port());
    ASSERT_EQ(app.login(kAlice, kPassword), status::kOk);
    app.send(cmd::kActivateDashboard, 2, "1");
    ASSERT_TRUE(app.expect_response(2, status::kDeviceNotInNetwork));  // active; board offline
    RawClient board(server.port());
    board.login(alice);
    ASSERT_TRUE(app.expect_frame(cmd::kHardwareConnected, 1, "1-0"));
    RawClient bob_board(server.port());
    bob_board.login(bob);
    board.send_frame(cmd::kHardware, 3, body({"vw", "0", "before"}));
    ASSERT_TRUE(app.expect_frame(cmd::kHardware, 3, body({"1-0", "vw", "0", "before"})));
    const auto deadline = Clock::now() + 5s;
    while (db_text(server.database_location(), "SELECT value FROM pin_values WHERE pin = 'v0'") !=
               "before" &&
           Clock::now() < deadline)
        std::this_thread::sleep_for(20ms);

    set_file_size_limit(server.pid(), 1);  // the disk is full

    // Routing goes on: every value reaches the app, the app's write reaches the device.
    for (int pin = 0; pin < kAlicePins; ++pin)
        board.send_frame(cmd::kHardware, 4, body({"vw", std::to_string(pin), "full"}));
    for (int pin = 0; pin < kAlicePins; ++pin) {
        ASSERT_TRUE(
            app.expect_frame(cmd::kHardware, 4, body({"1-0", "vw", std::to_string(pin), "full"})));
    }
    app.send(cmd::kHardware, 5, body({"1-0", "vw", "100", "from app"}));
    ASSERT_TRUE(board.expect_frame(cmd::kHardware, 5, body({"vw", "100", "from app"})));
    ASSERT_TRUE(server.wait_for_log("storage writes failing"));
    // Alice's 81 slots wait; Bob's new slots fill the rest of the backlog, then are dropped.
    for (int pin = 0; pin < kBobPins; ++pin)
        bob_board.send_frame(cmd::kHardware, 6, body({"vw", std::to_string(pin), "bob"}));
    bob_board.send_frame(cmd::kPing, 7);
    ASSERT_TRUE(bob_board.expect_response(7, status::kOk));
    std::this_thread::sleep_for(500ms);  // collected and refused by a few more attempts
    // Slots already waiting keep taking the latest value.
    for (int pin = 0; pin < kAlicePins; ++pin)
        board.send_frame(cmd::kHardware, 8, body({"vw", std::to_string(pin), "final"}));
    board.send_frame(cmd::kPing, 9);
    ASSERT_TRUE(board.expect_response(9, status::kOk));
    std::this_thread::sleep_for(1s);
    ASSERT_EQ(server.unexpected_exit(), "") << server.log();
    EXPECT_EQ(occurrences(server.log(), "storage writes failing"), 1u)
        << "logged once a minute, not per batch:\n"
        << server.log();

    set_file_size_limit(server.pid(), RLIM_INFINITY);  // space returns
    ASSERT_TRUE(server.wait_for_log("storage writes succeed again")) << server.log();
    EXPECT_NE(server.log().find(std::to_string(kBobPins - (kBacklog - kAlicePins - 1)) +
                                " values dropped so far"),
              std::string::npos)
        << server.log();

    print_lines(server.log(), "storage writes");
    const std::string dir = server.database_location();
    const std::string alice_pins =
        "FROM pin_values WHERE user_email = '" + std::string(kAlice) + "'";
    EXPECT_EQ(db_text(dir, "SELECT COUNT(*) " + alice_pins + " AND CAST(value AS TEXT) = 'final'"),
              std::to_string(kAlicePins));
    EXPECT_EQ(db_text(dir, "SELECT value " + alice_pins + " AND pin = 'v100'"), "from app");
    // The first 19 of Bob's pins (the oldest slots) were kept, the rest dropped.
    EXPECT_EQ(db_text(dir, "SELECT COUNT(*) FROM pin_values WHERE user_email = 'bob@example.com'"),
              std::to_string(kBacklog - kAlicePins - 1));
    EXPECT_EQ(db_text(dir,
                      "SELECT MAX(CAST(substr(pin, 2) AS INTEGER)) FROM pin_values WHERE "
                      "user_email = 'bob@example.com'"),
              std::to_string(kBacklog - kAlicePins - 2));
    EXPECT_EQ(db_text(dir, "PRAGMA integrity_check"), "ok");
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace blynk::test
