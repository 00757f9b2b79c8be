#include "server/systemd_notifier.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <spdlog/spdlog.h>

namespace blynk {
namespace {

std::optional<uint64_t> env_number(const char* name) {
    const char* text = std::getenv(name);
    if (!text || !*text) return std::nullopt;
    uint64_t value = 0;
    const char* end = text + std::strlen(text);
    auto [ptr, ec] = std::from_chars(text, end, value);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

uint64_t monotonic_usec() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

}  // namespace

SystemdNotifier::SystemdNotifier() {
    const char* name = std::getenv("NOTIFY_SOCKET");
    if (!name || !*name) return;
    const std::string_view path(name);
    if (path[0] != '/' && path[0] != '@') {
        // vsock: and other kinds (virtual machines) are not for a service on its host.
        spdlog::warn("systemd: NOTIFY_SOCKET={} is not a Unix socket path; not notifying", path);
        return;
    }
    if (path.size() >= sizeof(address_.sun_path)) {
        spdlog::warn("systemd: NOTIFY_SOCKET is longer than a socket name may be; not notifying");
        return;
    }
    address_.sun_family = AF_UNIX;
    std::memcpy(address_.sun_path, path.data(), path.size());
    // An abstract name starts with a NUL byte and its length is exact (no terminating NUL).
    if (path[0] == '@') address_.sun_path[0] = '\0';
    address_size_ = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() +
                                           (path[0] == '@' ? 0 : 1));
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        spdlog::warn("systemd: cannot make a socket for NOTIFY_SOCKET: {}", std::strerror(errno));
        return;
    }
    // WATCHDOG_PID, when set, names the process being watched (it may be a parent's setting).
    const auto pid = env_number("WATCHDOG_PID");
    const auto usec = env_number("WATCHDOG_USEC");
    if (usec && *usec > 0 && (!pid || *pid == static_cast<uint64_t>(::getpid())))
        watchdog_every_ = std::chrono::microseconds(*usec / 2);
}

SystemdNotifier::~SystemdNotifier() {
    if (fd_ >= 0) ::close(fd_);
}

void SystemdNotifier::send(std::string_view message) {
    if (fd_ < 0) return;
    const ssize_t n = ::sendto(fd_, message.data(), message.size(), MSG_NOSIGNAL,
                               reinterpret_cast<const sockaddr*>(&address_), address_size_);
    if (n < 0 && !send_failed_logged_.exchange(true)) {  // systemd gone, or full: said once
        spdlog::warn("systemd: notification to NOTIFY_SOCKET failed: {}", std::strerror(errno));
    }
}

void SystemdNotifier::ready(std::string_view status) {
    send("READY=1\nSTATUS=" + std::string(status));
}

void SystemdNotifier::reloading() {
    send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonic_usec()));
}

void SystemdNotifier::stopping() {
    send("STOPPING=1\nSTATUS=stopping");
}

void SystemdNotifier::watchdog() {
    send("WATCHDOG=1");
}

void SystemdNotifier::status(std::string_view text) {
    send("STATUS=" + std::string(text));
}

}  // namespace blynk
