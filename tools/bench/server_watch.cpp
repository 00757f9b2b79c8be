#include "tools/bench/server_watch.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "tools/bench/scenario_common.hpp"
#include "tools/bench/sysinfo.hpp"

namespace blynk::bench {

namespace {

constexpr size_t kFirstLines = 5;

// The level field of a blynkd log line: "2026-01-01 12:00:00.000 error message" (main.cpp's
// pattern); "" for lines that are not the server's (a stack trace, a library's output).
std::string level_of(const std::string& line) {
    std::istringstream in(line);
    std::string date, time, level;
    in >> date >> time >> level;
    if (date.size() != 10 || time.size() != 12) return "";
    return level;
}

}  // namespace

ServerSample sample_server(pid_t pid, const std::filesystem::path& wal, double t_s, size_t online) {
    ServerSample s;
    s.t_s = t_s;
    s.rss_kib = rss_kib(pid);
    s.anon_kib = anon_rss_kib(pid);
    s.fds = open_fd_count(pid);
    std::error_code ec;
    const auto size = std::filesystem::file_size(wal, ec);
    s.wal_bytes = ec ? 0 : size;
    s.online = online;
    return s;
}

size_t wait_for_fds(pid_t pid, size_t target, double timeout_s) {
    size_t fds = open_fd_count(pid);
    for (double waited = 0; fds != target && waited < timeout_s; waited += 0.1) {
        pause_s(0.1);
        fds = open_fd_count(pid);
    }
    return fds;
}

double median_in(const std::vector<ServerSample>& samples, double from, double to,
                 double (*field)(const ServerSample&)) {
    std::vector<double> v;
    for (const auto& s : samples)
        if (s.t_s >= from && s.t_s < to) v.push_back(field(s));
    if (v.empty()) return 0;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

std::vector<Json> series_rows(const std::vector<ServerSample>& samples, size_t points) {
    std::vector<Json> rows;
    auto row = [&](const ServerSample& s) {
        Json j;
        j["run"] = "t=" + std::to_string(static_cast<int64_t>(s.t_s)) + " s";
        j["rss_mib"] = round_sig(static_cast<double>(s.rss_kib) / 1024, 4);
        j["anon_mib"] = round_sig(static_cast<double>(s.anon_kib) / 1024, 4);
        j["fds"] = s.fds;
        j["wal_mib"] = round_sig(static_cast<double>(s.wal_bytes) / (1 << 20), 3);
        j["online"] = s.online;
        rows.push_back(std::move(j));
    };
    const size_t n = samples.size();
    const size_t step = std::max<size_t>(1, n / std::max<size_t>(1, points));
    for (size_t i = 0; i < n; i += step)
        row(samples[i]);
    if (n > 0 && (n - 1) % step != 0) row(samples.back());  // the series ends with the last one
    return rows;
}

Json LogLevels::to_json() const {
    Json j;
    j["error_lines"] = errors;
    j["warning_lines"] = warnings;
    if (!first_errors.empty()) j["first_errors"] = first_errors;
    if (!first_warnings.empty()) j["first_warnings"] = first_warnings;
    return j;
}

LogLevels scan_log(const std::filesystem::path& log) {
    LogLevels r;
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        const std::string level = level_of(line);
        if (level == "error" || level == "critical") {
            if (r.errors++ < kFirstLines) r.first_errors.push_back(line);
        } else if (level == "warning") {
            if (r.warnings++ < kFirstLines) r.first_warnings.push_back(line);
        }
    }
    return r;
}

}  // namespace blynk::bench
