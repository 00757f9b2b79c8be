// Wall-clock jumps: libfaketime moves the server's CLOCK_REALTIME a day forward and then two days
// back while CLOCK_MONOTONIC stays real. Devices that keep pinging stay connected through both
// jumps, and a silent one is closed after its idle timeout, neither at the forward jump nor
// never after the backward one: every session deadline runs on the steady clock.

#include <ctime>
#include <fstream>

#include "tests/integration/fault_support.hpp"

namespace blynk::test {
namespace {

constexpr const char* kFaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
constexpr int kDevices = 10;

/// The date the server's log shows for now + `offset`, as its pattern writes it (local time).
std::string log_date(std::chrono::hours offset) {
    const std::time_t t = std::time(nullptr) + offset.count() * 3600;
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

TEST(FaultClock, WallClockJumpsTimeOutNoSession) {
#ifdef BLYNKD_EMULATOR
    GTEST_SKIP() << "LD_PRELOAD of the host's libfaketime cannot reach a blynkd run by qemu-user";
#endif
#if defined(__SANITIZE_ADDRESS__)
    // ASan refuses a library preloaded before it, and with that check off its own clock
    // interceptors and libfaketime's fake different clocks than asked; the Release run tests this.
    GTEST_SKIP() << "libfaketime and ASan's interceptors do not combine";
#endif
    ASSERT_TRUE(std::filesystem::exists(kFaketime))
        << kFaketime << " is missing: run scripts/install-deps.sh test (package faketime)";
    // hard.socket.idle.timeout=2: a device silent for ceil(2.3 x 2) = 5 s is closed.
    ServerProcess server(std::map<std::string, std::string>{{"hard.socket.idle.timeout", "2"}});
    const auto offset_file = server.data_dir() / "faketime.rc";
    // Written aside and renamed: libfaketime re-reads the file on every clock call
    // (FAKETIME_NO_CACHE) and must never see it truncated or half written.
    auto set_offset = [&](const std::string& offset) {
        const auto written = offset_file.string() + ".new";
        std::ofstream(written) << offset << "\n";
        std::filesystem::rename(written, offset_file);
    };
    set_offset("+0");
    server.set_server_prefix({"env", std::string("LD_PRELOAD=") + kFaketime,
                              "FAKETIME_TIMESTAMP_FILE=" + offset_file.string(),
                              "FAKETIME_NO_CACHE=1", "FAKETIME_DONT_FAKE_MONOTONIC=1"});
    std::vector<std::string> tokens;
    for (int i = 0; i < kDevices + 2; ++i)
        tokens.push_back(server.provision("alice@example.com", "D" + std::to_string(i)));
    server.start();

    std::vector<std::unique_ptr<RawClient>> pinging;
    for (int i = 0; i < kDevices; ++i) {
        pinging.push_back(std::make_unique<RawClient>(server.port()));
        pinging.back()->login(tokens[i]);
    }
    RawClient silent(server.port());
    silent.login(tokens[kDevices]);
    const auto silent_since = Clock::now();

    // Every device pings every 500 ms for 11 s; the wall clock jumps at 1 s and 4 s.
    int answered = 0, missed = 0;
    bool jumped_forward = false, jumped_back = false;
    bool silent_open_at_4s = false;
    std::unique_ptr<RawClient> late;
    Clock::duration silent_closed_after{};
    uint16_t id = 1;
    const auto start = Clock::now();
    while (Clock::now() - start < 11s) {
        const auto elapsed = Clock::now() - start;
        if (!jumped_forward && elapsed >= 1s) {
            set_offset("+1d");
            jumped_forward = true;
        }
        if (!late && elapsed >= 2s) {  // a login logged in the future
            late = std::make_unique<RawClient>(server.port());
            late->login(tokens[kDevices + 1]);
        }
        if (!jumped_back && elapsed >= 4s) {
            silent_open_at_4s = silent.open();
            set_offset("-1d");
            jumped_back = true;
        }
        ++id;
        for (auto& c : pinging) {
            c->send_frame(cmd::kPing, id);
            if (c->read_bytes(5, 2s) == response(id, status::kOk)) {
                ++answered;
            } else {
                ++missed;
            }
        }
        if (silent_closed_after == Clock::duration{} && !silent.open())
            silent_closed_after = Clock::now() - silent_since;
        std::this_thread::sleep_for(500ms);
    }
    EXPECT_EQ(missed, 0) << "pings went unanswered: sessions were closed by the clock jump\n"
                         << server.log();
    EXPECT_GT(answered, kDevices * 15);
    for (auto& c : pinging)
        EXPECT_TRUE(c->open());
    EXPECT_TRUE(silent_open_at_4s) << "closed by the forward jump";
    EXPECT_GT(silent_closed_after, 4s) << "closed by the forward jump";
    EXPECT_LT(silent_closed_after, 9s) << "never closed after the backward jump";

    // The jumps did reach the server: its log lines carry the faked dates.
    const std::string log = server.log();
    EXPECT_NE(log.find(log_date(std::chrono::hours(24))), std::string::npos) << log;
    EXPECT_NE(log.find(log_date(std::chrono::hours(-24))), std::string::npos) << log;
    set_offset("+0");
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace blynk::test
