#pragma once
// What a long run watches in the server: its memory, open files and SQLite WAL over time, and
// the error and warning lines of its log.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tools/bench/report.hpp"

namespace blynk::bench {

struct ServerSample {
    double t_s = 0;  ///< seconds since the load started
    uint64_t rss_kib = 0;
    uint64_t anon_kib = 0;
    size_t fds = 0;
    uint64_t wal_bytes = 0;
    size_t online = 0;  ///< the bench's connections logged in
};

/// The server's state now; `wal` is the database's -wal file (0 bytes when absent).
ServerSample sample_server(pid_t pid, const std::filesystem::path& wal, double t_s, size_t online);

/// Waits up to `timeout_s` for the server's open files to equal `target`; returns the last
/// count seen (closed connections take the server a moment).
size_t wait_for_fds(pid_t pid, size_t target, double timeout_s);

/// The median of `field` over the samples with t in [from, to); 0 when none.
double median_in(const std::vector<ServerSample>& samples, double from, double to,
                 double (*field)(const ServerSample&));

/// About `points` samples spread evenly over the run, as rows for the report.
std::vector<Json> series_rows(const std::vector<ServerSample>& samples, size_t points);

/// Lines of the log by level: error and critical lines ("errors"), warnings, each with its
/// count and the first few lines.
struct LogLevels {
    size_t errors = 0;
    size_t warnings = 0;
    std::vector<std::string> first_errors;
    std::vector<std::string> first_warnings;
    Json to_json() const;
};
LogLevels scan_log(const std::filesystem::path& log);

}  // namespace blynk::bench
