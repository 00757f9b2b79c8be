#pragma once
// Log lines that a remote peer can cause at will (debug prints, events, notifications, login
// failures, disconnects of clients that never logged in) go through a token bucket per kind, so
// that one noisy or hostile client cannot fill the log or the logger's queue. What was left out
// is counted and reported once a second: "log: 980 "device says" line(s) suppressed ...".

#include <chrono>
#include <cstddef>
#include <string_view>

#include <spdlog/spdlog.h>

namespace blynk::logging {

enum class PeerLine {
    DeviceText,    ///< debug prints of boards
    DeviceEvent,   ///< LOG_EVENT
    Notification,  ///< push, mail, SMS, tweet
    LoginFailure,  ///< wrong token, wrong password, refused
    Disconnect,    ///< disconnects of connections that never logged in, protocol errors
    kCount
};

/// The buckets: `burst` lines at once per kind, then `per_second`.
struct PeerLineLimits {
    double per_second = 10;
    double burst = 20;
};

using LimitClock = std::chrono::steady_clock;

/// True when a line of `kind` may be written at `now`; counts it as suppressed otherwise.
bool allow(PeerLine kind, LimitClock::time_point now = LimitClock::now());
/// Writes one line per kind that had lines suppressed since the last call (once a second).
void report_suppressed();
/// For tests and start-up: new limits, full buckets, no suppressed lines.
void reset(PeerLineLimits limits = {});
/// The name used in the suppressed-lines report.
std::string_view name(PeerLine kind);

/// spdlog::log(level, ...) for a line that a peer can trigger.
template <class... Args>
void peer_log(PeerLine kind, spdlog::level::level_enum level,
              spdlog::format_string_t<Args...> format, Args&&... args) {
    if (spdlog::should_log(level) && allow(kind))
        spdlog::log(level, format, std::forward<Args>(args)...);
}

}  // namespace blynk::logging
