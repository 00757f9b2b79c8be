#pragma once
// systemd's readiness protocol (sd_notify(3)), written over its documented datagram socket: the
// unit's Type=notify, reloads, stopping, the watchdog and a status line. The protocol is a few
// "KEY=VALUE" lines in one datagram to the socket named in $NOTIFY_SOCKET; systemd documents it
// as stable for independent implementations, and doing it here keeps libsystemd out of the
// binary, the Docker image and the cross builds. Without $NOTIFY_SOCKET every call does nothing.

#include <sys/socket.h>
#include <sys/un.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace blynk {

class SystemdNotifier {
public:
    /// Reads $NOTIFY_SOCKET ("/path" or "@abstract"), $WATCHDOG_USEC and $WATCHDOG_PID.
    /// Problems (a name too long, an unsupported socket kind) are logged once and leave the
    /// notifier inactive.
    SystemdNotifier();
    ~SystemdNotifier();
    SystemdNotifier(const SystemdNotifier&) = delete;
    SystemdNotifier& operator=(const SystemdNotifier&) = delete;

    /// Whether systemd (or a test) listens.
    bool active() const { return fd_ >= 0; }

    /// Start-up is complete: the listeners accept connections.
    void ready(std::string_view status);
    /// A reload begins (SIGHUP); ready() ends it. Carries MONOTONIC_USEC, which systemd ≥ 253
    /// uses to match the reload with the request.
    void reloading();
    /// Shutdown begins.
    void stopping();
    /// The watchdog's keep-alive.
    void watchdog();
    /// A one-line status for `systemctl status`.
    void status(std::string_view text);

    /// How often to send watchdog(): half of $WATCHDOG_USEC when systemd watches this process,
    /// nullopt otherwise.
    std::optional<std::chrono::microseconds> watchdog_interval() const { return watchdog_every_; }

private:
    void send(std::string_view message);

    int fd_ = -1;
    sockaddr_un address_{};
    socklen_t address_size_ = 0;
    std::optional<std::chrono::microseconds> watchdog_every_;
    std::atomic<bool> send_failed_logged_{false};  // sent from any I/O thread
};

}  // namespace blynk
