// Lines a device can cause at will are rate-limited, with a count of what was left out.

#include <regex>
#include <utility>

#include "tests/support/fixture.hpp"
#include "tests/support/occurrences.hpp"

namespace blynk::test {
namespace {

class PeerLineLimitTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        // The message quota would drop most of the frames before they reach the log.
        return {{"storage.flush.interval.ms", "100"}, {"user.message.quota.limit", "100000"}};
    }
};

TEST_F(PeerLineLimitTest, AThousandDebugPrintsAndEventsMakeABoundedLog) {
    auto c = logged_in(token_a_);
    std::string burst;
    for (int i = 0; i < 1000; ++i) {
        burst +=
            frame(cmd::kDebugPrint, static_cast<uint16_t>(i + 2), "hello " + std::to_string(i));
        burst += frame(cmd::kEventLog, static_cast<uint16_t>(i + 2), body({"door", "open"}));
    }
    c->send(burst);
    c->send_frame(cmd::kPing, 9999);  // answered after every frame before it was handled
    ASSERT_TRUE(c->expect_response(9999, status::kOk, patient(10s)));
    ASSERT_TRUE(server_->wait_for_log("\"event\" line(s) suppressed", patient(3s)));
    std::this_thread::sleep_for(1200ms);  // the last report (once a second) is in
    const std::string log = server_->log();
    for (const auto& [written, kind] :
         {std::pair{std::string("device says: "), std::string("device says")},
          std::pair{std::string("event \"door\" from"), std::string("event")}}) {
        const size_t lines = occurrences(log, written);
        EXPECT_GE(lines, 20u) << kind;
        EXPECT_LE(lines, 60u) << kind << ": a burst of 20, then 10 a second";
        size_t suppressed = 0;
        const std::regex report("log: (\\d+) \"" + kind + "\" line\\(s\\) suppressed");
        for (std::sregex_iterator m(log.begin(), log.end(), report), end; m != end; ++m)
            suppressed += std::stoul((*m)[1]);
        EXPECT_EQ(lines + suppressed, 1000u) << kind << ": every line written or counted";
    }
}

}  // namespace
}  // namespace blynk::test
