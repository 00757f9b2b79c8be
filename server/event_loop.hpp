#pragma once
// The server's io_context with what stopping and failing need: a run() that survives an
// exception escaping a handler, a drain after stop(), and a way to destroy the handlers still
// queued while everything they refer to exists.

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string_view>

#include <boost/asio/io_context.hpp>

namespace blynk {

class EventLoop : public boost::asio::io_context {
public:
    using Clock = std::chrono::steady_clock;
    /// More escaped exceptions than this within kFailureWindow are "repeated failures".
    static constexpr size_t kMaxFailures = 10;
    static constexpr std::chrono::seconds kFailureWindow{60};

    /// Called once when exceptions escape handlers faster than kMaxFailures per kFailureWindow.
    void on_repeated_failures(std::function<void()> callback);
    /// run(), except that an exception escaping a handler is logged and the loop goes on (the
    /// io_context stays usable; the handler that threw is gone).
    void run_guarded();
    /// After stop(): runs the queued and pending handlers on this thread until none is left
    /// (true) or `timeout` has passed (false).
    bool drain(Clock::duration timeout);
    /// Destroys every handler still queued, without running it.
    void destroy_handlers() { shutdown(); }

    /// Counts one escaped exception (public for the tests of the failure budget).
    void failed(std::string_view what, Clock::time_point now = Clock::now());

private:
    std::mutex mutex_;
    std::deque<Clock::time_point> failures_;
    std::function<void()> on_repeated_failures_;
    bool reported_ = false;
};

}  // namespace blynk
