#include "server/logging/log_setup.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>

#include <spdlog/async.h>
#include <spdlog/spdlog.h>

#include "server/logging/batched_sink.hpp"

namespace blynk::logging {
namespace {

void write_stderr(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(STDERR_FILENO, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // nowhere to report it
        bytes.remove_prefix(static_cast<size_t>(n));
    }
}

size_t dropped_before = 0;

}  // namespace

void setup(const std::string& level, Mode mode, size_t queue_lines) {
    std::shared_ptr<spdlog::logger> logger;
    if (mode == Mode::Synchronous) {
        logger = std::make_shared<spdlog::logger>(
            "blynkd", std::make_shared<BatchedSink>(write_stderr, [] { return true; }));
    } else {
        spdlog::init_thread_pool(queue_lines, 1);
        auto pool = spdlog::thread_pool();
        auto sink = std::make_shared<BatchedSink>(
            write_stderr, [weak = std::weak_ptr<spdlog::details::thread_pool>(pool)] {
                auto p = weak.lock();
                return !p || p->queue_size() == 0;
            });
        logger = std::make_shared<spdlog::async_logger>(
            "blynkd", std::move(sink), pool, spdlog::async_overflow_policy::overrun_oldest);
        spdlog::flush_every(std::chrono::seconds(1));
    }
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l %v");
    logger->set_level(spdlog::level::from_str(level));
    spdlog::set_default_logger(std::move(logger));
}

void shutdown() {
    spdlog::shutdown();
}

size_t take_dropped_lines() {
    auto pool = spdlog::thread_pool();
    if (!pool) return 0;
    const size_t total = pool->overrun_counter();
    const size_t dropped = total - dropped_before;
    dropped_before = total;
    return dropped;
}

}  // namespace blynk::logging
