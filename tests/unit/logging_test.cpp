// The log's batching sink, the limits on lines that peers can cause, and the event loop's
// exception boundary.

#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <boost/asio/post.hpp>

#include "server/event_loop.hpp"
#include "server/logging/batched_sink.hpp"
#include "server/logging/peer_lines.hpp"
#include "tests/unit/log_capture.hpp"

namespace blynk {
namespace {

using namespace std::chrono_literals;

struct SinkProbe {
    std::vector<std::string> writes;
    bool idle = false;
    std::shared_ptr<spdlog::logger> logger() {
        auto sink = std::make_shared<logging::BatchedSink>(
            [this](std::string_view bytes) { writes.emplace_back(bytes); },
            [this] { return idle; });
        auto l = std::make_shared<spdlog::logger>("probe", std::move(sink));
        l->set_pattern("%v");
        l->set_level(spdlog::level::trace);
        return l;
    }
};

TEST(BatchedSinkTest, LinesWaitWhileMoreAreQueuedThenGoOutInOneWrite) {
    SinkProbe probe;
    auto log = probe.logger();
    for (int i = 0; i < 100; ++i)
        log->info("line {}", i);
    EXPECT_TRUE(probe.writes.empty()) << "no write per line while the queue is not empty";
    probe.idle = true;
    log->info("last");
    ASSERT_EQ(probe.writes.size(), 1u);
    EXPECT_TRUE(probe.writes[0].starts_with("line 0\n"));
    EXPECT_TRUE(probe.writes[0].ends_with("line 99\nlast\n"));
}

TEST(BatchedSinkTest, WarningsAndFullBatchesAreWrittenAtOnce) {
    SinkProbe probe;
    auto log = probe.logger();
    log->info("before");
    log->warn("careful");
    ASSERT_EQ(probe.writes.size(), 1u);
    EXPECT_EQ(probe.writes[0], "before\ncareful\n");
    const std::string long_line(1000, 'x');
    for (size_t i = 0; i < logging::BatchedSink::kBatchBytes / 1000 + 1; ++i)
        log->info("{}", long_line);
    EXPECT_EQ(probe.writes.size(), 2u);
    log->flush();  // the periodic flush
    EXPECT_EQ(probe.writes.size(), 2u) << "the batch was written whole";
    log->info("tail");
    log->flush();
    ASSERT_EQ(probe.writes.size(), 3u);
    EXPECT_EQ(probe.writes[2], "tail\n");
}

TEST(BatchedSinkTest, WhatIsLeftIsWrittenWhenTheSinkGoes) {
    SinkProbe probe;
    probe.logger()->info("the last line before exit");
    ASSERT_EQ(probe.writes.size(), 1u);
    EXPECT_EQ(probe.writes[0], "the last line before exit\n");
}

class PeerLinesTest : public ::testing::Test {
protected:
    void SetUp() override { logging::reset({10, 20}); }
    void TearDown() override { logging::reset(); }
};

TEST_F(PeerLinesTest, BurstThenRateThenCounted) {
    const auto t0 = logging::LimitClock::now();
    int allowed = 0;
    for (int i = 0; i < 1000; ++i)
        allowed += logging::allow(logging::PeerLine::DeviceText, t0);
    EXPECT_EQ(allowed, 20);
    EXPECT_TRUE(logging::allow(logging::PeerLine::DeviceEvent, t0)) << "kinds are separate";
    // 10 a second come back.
    allowed = 0;
    for (int i = 0; i < 100; ++i)
        allowed += logging::allow(logging::PeerLine::DeviceText, t0 + 1s);
    EXPECT_EQ(allowed, 10);
}

TEST_F(PeerLinesTest, SuppressedLinesAreReportedOnceWithTheirCount) {
    std::string text;
    {
        test::LogCapture log("%v");
        for (int i = 0; i < 1000; ++i)
            logging::peer_log(logging::PeerLine::DeviceText, spdlog::level::info, "device says: {}",
                              i);
        logging::report_suppressed();
        logging::report_suppressed();  // nothing new: no line
        text = log.text();
    }
    EXPECT_NE(text.find("device says: 19\n"), std::string::npos);
    EXPECT_EQ(text.find("device says: 20\n"), std::string::npos);
    EXPECT_NE(text.find("log: 980 \"device says\" line(s) suppressed"), std::string::npos) << text;
    EXPECT_EQ(text.find("suppressed"), text.rfind("suppressed"));
}

TEST(EventLoopTest, AnExceptionFromAHandlerIsLoggedAndTheLoopGoesOn) {
    EventLoop io;
    bool after = false;
    boost::asio::post(io, [] { throw std::runtime_error("boom"); });
    boost::asio::post(io, [&] { after = true; });
    io.run_guarded();
    EXPECT_TRUE(after);
}

TEST(EventLoopTest, RepeatedFailuresAreReportedOnce) {
    EventLoop io;
    int reports = 0;
    io.on_repeated_failures([&] { ++reports; });
    const auto t0 = EventLoop::Clock::now();
    for (size_t i = 0; i < EventLoop::kMaxFailures; ++i)
        io.failed("boom", t0);
    EXPECT_EQ(reports, 0);
    io.failed("boom", t0 + EventLoop::kFailureWindow + 1s);  // the old ones have expired
    EXPECT_EQ(reports, 0);
    for (size_t i = 0; i < EventLoop::kMaxFailures; ++i)
        io.failed("boom", t0 + EventLoop::kFailureWindow + 2s);
    EXPECT_EQ(reports, 1);
    io.failed("boom", t0 + EventLoop::kFailureWindow + 2s);
    EXPECT_EQ(reports, 1);
}

TEST(EventLoopTest, DrainRunsWhatIsLeftAfterStop) {
    EventLoop io;
    int ran = 0;
    boost::asio::post(io, [&] {
        io.stop();
        boost::asio::post(io, [&] { ++ran; });
    });
    io.run_guarded();
    EXPECT_EQ(ran, 0);
    EXPECT_TRUE(io.drain(1s));
    EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace blynk
