#pragma once
// How the tests run the services they start themselves (PostgreSQL, Redis): in a temp folder, as
// an unprivileged user when the tests run as root (PostgreSQL refuses root, and a test service
// needs no more), told to end when the test process dies so that none outlives a crashed or
// timed-out test, waited for until they answer, and killed with all their processes at once for
// crash tests.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace blynk::test {

/// `command` prefixed with setpriv (util-linux, which then execs it: the pid stays the
/// service's): `death_signal` (a name such as "SIGINT") when the thread that started it ends, and
/// nobody:nogroup when the tests run as root.
std::vector<std::string> service_command(const std::vector<std::string>& command,
                                         const std::string& death_signal);

/// A new folder for one service (mode 0700: /dev/shm/<prefix>-XXXXXX when /dev/shm has 1 GiB
/// free, else in the temp folder), given to the user service_command() runs as; removed when it
/// goes unless a test has failed (then its logs and data stay for a look).
class ServiceFolder {
public:
    explicit ServiceFolder(const std::string& prefix);
    ~ServiceFolder();
    ServiceFolder(const ServiceFolder&) = delete;
    ServiceFolder& operator=(const ServiceFolder&) = delete;

    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// Sets `port` to a free loopback port and runs `start`; again on another port (three tries in all)
/// when it throws with "Address already in use" in its message: free_port() finds a port that was
/// free a moment ago, which a test running beside may take first.
void start_on_free_port(uint16_t& port, const std::function<void()>& start);

/// Starts `command` (from service_command()) with its output appended to `log` and waits until
/// `ready()` (polled every 10 ms) or `timeout`. Throws std::runtime_error, with the log, when the
/// service exits first or is not ready in time (it is then killed).
std::unique_ptr<ChildProcess> start_service(const std::string& name,
                                            const std::vector<std::string>& command,
                                            const std::filesystem::path& log,
                                            const std::function<bool()>& ready,
                                            std::chrono::seconds timeout);

/// Sends `signal` (the service's own shutdown) and waits up to `timeout`; a service still running
/// then fails the test and is killed. Nothing when `service` is null; null afterwards.
void stop_service(std::unique_ptr<ChildProcess>& service, int signal, std::chrono::seconds timeout);

/// A crash: stops the service (so that it forks no more), SIGKILLs it and all its descendants (a
/// PostgreSQL server's backends each lead a session of their own, so a process group would not
/// reach them) and waits (up to 5 s) until none runs. Orphans stay zombies where nobody reaps
/// them, which holds no memory, ports or locks. Nothing when `service` is null; null afterwards.
void kill_service(std::unique_ptr<ChildProcess>& service);

}  // namespace blynk::test
