#include "server/http/metrics_process.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace blynk::http {

int64_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    int64_t pages = 0, resident = 0;
    if (!(statm >> pages >> resident)) return 0;
    return resident * sysconf(_SC_PAGESIZE);
}

int64_t open_fds() {
    std::error_code ec;
    int64_t n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
         it.increment(ec))
        ++n;
    return n > 0 ? n - 1 : 0;  // the iterator's own descriptor is listed too
}

int64_t max_fds() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 0;
    return static_cast<int64_t>(limit.rlim_cur);
}

double start_time_seconds() {
    // Taken the first time anyone asks, which App does at start-up.
    static const double started =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    return started;
}

}  // namespace blynk::http
