#include "server/systemd_heartbeat.hpp"

#include <spdlog/spdlog.h>

namespace blynk {

SystemdHeartbeat::SystemdHeartbeat(boost::asio::io_context& io, SystemdNotifier& notifier,
                                   std::function<std::string()> status)
    : notifier_(notifier),
      status_(std::move(status)),
      watchdog_(io, notifier.watchdog_interval().value_or(std::chrono::seconds(1)),
                [this] { notifier_.watchdog(); }),
      status_task_(io, kStatusInterval, [this] {
          // Runs on one timer at a time: last_status_ needs no lock.
          std::string text = status_();
          if (text == last_status_) return;
          notifier_.status(text);
          last_status_ = std::move(text);
      }) {}

void SystemdHeartbeat::start() {
    if (!notifier_.active()) return;
    last_status_ = status_();
    status_task_.start();
    if (auto every = notifier_.watchdog_interval()) {
        spdlog::info("systemd: watchdog on, WATCHDOG=1 every {} ms",
                     std::chrono::duration_cast<std::chrono::milliseconds>(*every).count());
        notifier_.watchdog();
        watchdog_.start();
    }
}

void SystemdHeartbeat::cancel() {
    watchdog_.cancel();
    status_task_.cancel();
}

}  // namespace blynk
