#pragma once
// A task run every `interval` on an io_context: the server's housekeeping (pin batches to
// storage, certificate checks, deadline ticks).

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
            if (ec) return;
            task_();
            start();
        });
    }

    void cancel() { timer_.cancel(); }

private:
    boost::asio::steady_timer timer_;
    std::chrono::steady_clock::duration interval_;
    std::function<void()> task_;
};

}  // namespace blynk
