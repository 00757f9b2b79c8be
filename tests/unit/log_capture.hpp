#pragma once
// Makes the default logger write into a string for the lifetime of the object.

#include <memory>
#include <sstream>
#include <string>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

namespace blynk::test {

class LogCapture {
public:
    /// `pattern`: spdlog's, e.g. "%l %v" (level and text).
    explicit LogCapture(const std::string& pattern) : previous_(spdlog::default_logger()) {
        auto logger = std::make_shared<spdlog::logger>(
            "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
        logger->set_pattern(pattern);
        logger->set_level(spdlog::level::trace);
        spdlog::set_default_logger(std::move(logger));
    }
    ~LogCapture() { spdlog::set_default_logger(previous_); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::string text() const { return out_.str(); }

private:
    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace blynk::test
