#pragma once
// Facts about this machine, this build and other processes that every result records.

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace blynk::bench {

/// `git rev-parse --short HEAD` of the source tree, "-dirty" when tracked files changed;
/// "unknown" outside a checkout.
std::string git_revision();
/// CMAKE_BUILD_TYPE of this tool (blynkd is built by the same configuration).
std::string build_type();
/// "model name" of the first CPU.
std::string cpu_model();
/// Online CPUs.
unsigned cpu_count();

/// VmRSS of `pid` in KiB (0 when unreadable).
uint64_t rss_kib(pid_t pid);
/// RssAnon of `pid` in KiB: the private part of VmRSS (heap, stacks), without the pages of
/// mapped files (shared libraries), which other processes share.
uint64_t anon_rss_kib(pid_t pid);
/// VmHWM (peak RSS) of `pid` in KiB.
uint64_t peak_rss_kib(pid_t pid);
/// Open file descriptors of `pid` (entries of /proc/PID/fd; 0 when unreadable).
size_t open_fd_count(pid_t pid);
/// User + system CPU seconds consumed so far by `pid` (all threads).
double cpu_seconds(pid_t pid);
/// User + system CPU seconds of this process (all threads).
double self_cpu_seconds();
/// CPU seconds all processes of the machine spent busy (not idle or waiting for I/O), from
/// /proc/stat: with the server's and the bench's own time it tells how much of the machine
/// something else took during a run.
double machine_busy_seconds();
/// CPU seconds the hypervisor gave to other guests while this machine's CPUs wanted to run
/// ("steal" in /proc/stat, included in machine_busy_seconds()): on a shared host, time that
/// neither the server nor the bench got. It shows only under load.
double machine_steal_seconds();

}  // namespace blynk::bench
