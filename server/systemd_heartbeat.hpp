#pragma once
// The systemd notifier's timers on the event loop: WATCHDOG=1 at half of $WATCHDOG_USEC, sent by
// the loop itself so that a loop that stops turning stops the pings (and systemd restarts the
// service), and STATUS= whenever the status text changes.

#include <chrono>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "server/periodic_task.hpp"
#include "server/systemd_notifier.hpp"

namespace blynk {

class SystemdHeartbeat {
public:
    /// How often the status text is read (and sent when it changed).
    static constexpr std::chrono::seconds kStatusInterval{2};

    SystemdHeartbeat(boost::asio::io_context& io, SystemdNotifier& notifier,
                     std::function<std::string()> status);

    /// Starts the timers (none when the notifier is inactive).
    void start();
    void cancel();

private:
    SystemdNotifier& notifier_;
    std::function<std::string()> status_;
    std::string last_status_;
    PeriodicTask watchdog_;
    PeriodicTask status_task_;
};

}  // namespace blynk
