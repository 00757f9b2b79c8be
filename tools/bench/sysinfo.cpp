#include "tools/bench/sysinfo.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

namespace blynk::bench {

namespace {

std::string run_command(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    std::array<char, 256> buf{};
    while (std::fgets(buf.data(), buf.size(), p))
        out += buf.data();
    ::pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    return out;
}

uint64_t status_field_kib(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) {
            std::istringstream ss(line.substr(field.size() + 1));
            uint64_t kib = 0;
            ss >> kib;
            return kib;
        }
    }
    return 0;
}

}  // namespace

std::string git_revision() {
    const std::string dir = BLYNKD_SOURCE_DIR;
    std::string rev = run_command("git -C '" + dir + "' rev-parse --short HEAD 2>/dev/null");
    if (rev.empty()) return "unknown";
    if (!run_command("git -C '" + dir + "' status --porcelain --untracked-files=no 2>/dev/null")
             .empty()) {
        rev += "-dirty";
    }
    return rev;
}

std::string build_type() {
    return BENCH_BUILD_TYPE;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            auto colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(colon + 2);
        }
    }
    return "unknown";
}

unsigned cpu_count() {
    return std::max(1u, std::thread::hardware_concurrency());
}

uint64_t rss_kib(pid_t pid) {
    return status_field_kib(pid, "VmRSS");
}

uint64_t anon_rss_kib(pid_t pid) {
    return status_field_kib(pid, "RssAnon");
}

size_t open_fd_count(pid_t pid) {
    std::error_code ec;
    std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec);
    if (ec) return 0;
    return static_cast<size_t>(std::distance(it, std::filesystem::directory_iterator{}));
}

uint64_t peak_rss_kib(pid_t pid) {
    return status_field_kib(pid, "VmHWM");
}

double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The command name may contain spaces; fields are counted after its closing parenthesis.
    auto close = stat.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream ss(stat.substr(close + 2));
    std::string field;
    uint64_t utime = 0, stime = 0;
    for (int i = 3; i <= 15 && ss >> field; ++i) {
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double self_cpu_seconds() {
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return s(ru.ru_utime) + s(ru.ru_stime);
}

}  // namespace blynk::bench

namespace blynk::bench {

namespace {

struct MachineTimes {
    double busy = 0;   ///< not idle or waiting for I/O, steal included
    double steal = 0;  ///< given by the hypervisor to other guests
};

MachineTimes machine_times() {
    std::ifstream in("/proc/stat");
    std::string cpu;
    uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    const auto tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    return MachineTimes{static_cast<double>(user + nice + system + irq + softirq + steal) / tick,
                        static_cast<double>(steal) / tick};
}

}  // namespace

double machine_busy_seconds() {
    return machine_times().busy;
}

double machine_steal_seconds() {
    return machine_times().steal;
}

}  // namespace blynk::bench
