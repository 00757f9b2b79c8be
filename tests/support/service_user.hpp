#pragma once
// How the tests run the services they start themselves (PostgreSQL, Redis): as an unprivileged
// user when the tests run as root (PostgreSQL refuses root, and a test service needs no more),
// told to end when the test process dies so that none outlives a crashed or timed-out test, and
// killed with all its processes at once for crash tests.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace blynk::test {

/// `command` prefixed with setpriv (util-linux, which then execs it: the pid stays the
/// service's): `death_signal` (a name such as "SIGINT") when the thread that started it ends, and
/// nobody:nogroup when the tests run as root.
std::vector<std::string> service_command(const std::vector<std::string>& command,
                                         const std::string& death_signal);

/// Gives `dir` (mode 0700) to the user service_command() runs as.
void give_to_service_user(const std::filesystem::path& dir);

/// Sets `port` to a free loopback port and runs `start`; again on another port (three tries in all)
/// when it throws with "Address already in use" in its message: free_port() finds a port that was
/// free a moment ago, which a test running beside may take first.
void start_on_free_port(uint16_t& port, const std::function<void()>& start);

/// A crash: stops `root` (so that it forks no more), SIGKILLs it and all its descendants (a
/// PostgreSQL server's backends each lead a session of their own, so a process group would not
/// reach them) and waits (up to 5 s) until none runs. Orphans stay zombies where nobody reaps
/// them, which holds no memory, ports or locks. The caller still reaps `root`.
void kill_process_tree(pid_t root);

}  // namespace blynk::test
