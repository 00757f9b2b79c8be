#pragma once
// The server under test: a real blynkd started with a temp data dir on 127.0.0.1 ephemeral
// ports, its ports and start-up time read from its log, stopped with SIGTERM so that its
// final "stopped; N pin value(s) committed in M flush(es)" line can be read.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace blynk::bench {

using Settings = std::vector<std::pair<std::string, std::string>>;

/// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
public:
    explicit TempDir(const std::string& prefix);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// What the server said when it stopped.
struct StopStats {
    int exit_code = -1;
    int64_t pins_committed = -1;  ///< -1 when the line was not found
    int64_t flushes = -1;
    int64_t commit_ms = -1;    ///< the storage thread's time in write transactions
    int64_t max_pending = -1;  ///< the most pin values waiting for one flush (queue depth)
    double stop_ms = 0;        ///< SIGTERM to exit
};

class BlynkdProcess {
public:
    /// `settings` become `--set k=v` after the defaults (127.0.0.1, ports 0, a high quota);
    /// later entries win.
    BlynkdProcess(std::string binary, std::filesystem::path data_dir, Settings settings);
    ~BlynkdProcess();
    BlynkdProcess(const BlynkdProcess&) = delete;
    BlynkdProcess& operator=(const BlynkdProcess&) = delete;

    /// Spawns and waits for both "listening on" lines; throws with the log on failure.
    void start();
    /// Spawn to the second "listening on" line (both ports accept), in milliseconds.
    double startup_ms() const { return startup_ms_; }
    uint16_t port() const { return port_; }
    uint16_t tls_port() const { return tls_port_; }
    pid_t pid() const { return pid_; }
    /// SIGTERM and wait (SIGKILL after 20 s); parses the final log line.
    StopStats stop();
    /// The file the process writes its log to (stdout and stderr).
    const std::filesystem::path& log_path() const { return log_path_; }
    /// The whole log written by this process.
    std::string log() const;
    /// The last `lines` lines of the log, for error messages.
    std::string log_tail(size_t lines) const;
    /// Server worker threads: the setting, or the core count for 0.
    unsigned worker_threads() const;

private:
    std::string binary_;
    std::filesystem::path data_dir_;
    std::filesystem::path log_path_;
    Settings settings_;
    pid_t pid_ = -1;
    uint16_t port_ = 0;
    uint16_t tls_port_ = 0;
    double startup_ms_ = 0;
};

}  // namespace blynk::bench
