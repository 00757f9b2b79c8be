#pragma once
// What the kernel says about this process (Linux /proc), for the admin view and /metrics.

#include <cstdint>

namespace blynk::http {

/// The resident set in bytes, from /proc/self/statm (0 where there is none).
int64_t resident_bytes();
/// Open file descriptors, counted in /proc/self/fd (0 where there is none).
int64_t open_fds();
/// The soft limit on open files (RLIMIT_NOFILE).
int64_t max_fds();
/// When the process started, in seconds since the epoch.
double start_time_seconds();

}  // namespace blynk::http
