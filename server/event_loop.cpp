#include "server/event_loop.hpp"

#include <exception>

#include <spdlog/spdlog.h>

namespace blynk {

void EventLoop::on_repeated_failures(std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    on_repeated_failures_ = std::move(callback);
}

void EventLoop::run_guarded() {
    for (;;) {
        try {
            run();
            return;
        } catch (const std::exception& e) {
            failed(e.what());
        } catch (...) {
            failed("an exception of unknown type");
        }
    }
}

bool EventLoop::drain(Clock::duration timeout) {
    restart();
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        try {
            run_until(deadline);
            return stopped();  // out of work; otherwise the deadline passed
        } catch (const std::exception& e) {
            failed(e.what());
        } catch (...) {
            failed("an exception of unknown type");
        }
    }
}

void EventLoop::failed(std::string_view what, Clock::time_point now) {
    spdlog::error("unexpected error in an event handler: {}; the server goes on", what);
    std::function<void()> report;
    size_t count = 0;
    {
        std::lock_guard lock(mutex_);
        failures_.push_back(now);
        while (!failures_.empty() && now - failures_.front() > kFailureWindow)
            failures_.pop_front();
        if (failures_.size() <= kMaxFailures || reported_ || !on_repeated_failures_) return;
        reported_ = true;
        report = on_repeated_failures_;
        count = failures_.size();
    }
    spdlog::critical("{} unexpected errors within {} s: stopping the server", count,
                     kFailureWindow.count());
    report();
}

}  // namespace blynk
