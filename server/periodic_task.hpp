#pragma once
// A task run every `interval` on an io_context: the server's housekeeping (pin batches to
// storage, certificate checks, deadline ticks).

#include <atomic>
#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace blynk {

class PeriodicTask {
public:
    PeriodicTask(boost::asio::io_context& io, std::chrono::steady_clock::duration interval,
                 std::function<void()> task)
        : timer_(io), interval_(interval), task_(std::move(task)) {}

    void start() {
        timer_.expires_after(interval_);
        timer_.async_wait([this](boost::system::error_code ec) {
            // A run already due when cancel() came ends here too: stopping drains the loop.
            if (ec || cancelled_) return;
            task_();
            start();
        });
    }

    /// Threads: any (the stop request runs on whichever I/O thread caught the signal).
    void cancel() {
        cancelled_ = true;
        timer_.cancel();
    }

private:
    boost::asio::steady_timer timer_;
    std::chrono::steady_clock::duration interval_;
    std::function<void()> task_;
    std::atomic<bool> cancelled_{false};
};

}  // namespace blynk
