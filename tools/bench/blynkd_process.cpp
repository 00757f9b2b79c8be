#include "tools/bench/blynkd_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tools/bench/clock.hpp"
#include "tools/bench/sysinfo.hpp"

extern char** environ;

namespace blynk::bench {

namespace {

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int wait_exit(pid_t pid, int timeout_ms) {
    const uint64_t deadline = now_ns() + static_cast<uint64_t>(timeout_ms) * 1'000'000;
    int status = 0;
    while (now_ns() < deadline) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
            return -1;
        }
        if (r < 0) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return 128 + SIGKILL;
}

}  // namespace

TempDir::TempDir(const std::string& prefix) {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed for " + tmpl);
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

BlynkdProcess::BlynkdProcess(std::string binary, std::filesystem::path data_dir, Settings settings)
    : binary_(std::move(binary)), data_dir_(std::move(data_dir)), settings_(std::move(settings)) {
    log_path_ = data_dir_ / "blynkd.log";
}

BlynkdProcess::~BlynkdProcess() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

unsigned BlynkdProcess::worker_threads() const {
    unsigned n = 0;
    for (const auto& [k, v] : settings_)
        if (k == "server.worker.threads") n = static_cast<unsigned>(std::stoul(v));
    return n ? n : cpu_count();
}

void BlynkdProcess::start() {
    std::vector<std::string> args{binary_, "--data-dir", data_dir_.string()};
    if (::geteuid() == 0) args.push_back("--allow-root");  // benches run as root here and in CI
    Settings all{{"listen.address", "127.0.0.1"},
                 {"http.port", "0"},
                 {"https.port", "0"},
                 // Load comes from one address and far above the per-device default of 100/s.
                 {"user.message.quota.limit", "1000000"},
                 {"tls.handshake.per.ip.limit", "100000"},
                 {"prelogin.per.ip.limit", "1000000"}};
    all.insert(all.end(), settings_.begin(), settings_.end());
    for (const auto& [k, v] : all) {
        args.push_back("--set");
        args.push_back(k + "=" + v);
    }
    settings_ = all;
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    ::setenv("BLYNKD_ALLOW_TMP_DATA", "1", 1);
    const uint64_t t0 = now_ns();
    const int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + binary_ + ": " + std::strerror(rc));
    }

    const std::regex plain(R"(listening on [^ ]*:(\d+) \(hardware)");
    const std::regex tls(R"(listening on [^ ]*:(\d+) \(TLS)");
    const uint64_t deadline = t0 + seconds_ns(60);
    while (now_ns() < deadline) {
        const std::string text = read_all(log_path_);
        std::smatch m, t;
        if (std::regex_search(text, m, plain) && std::regex_search(text, t, tls)) {
            startup_ms_ = static_cast<double>(now_ns() - t0) / 1e6;
            port_ = static_cast<uint16_t>(std::stoi(m[1]));
            tls_port_ = static_cast<uint16_t>(std::stoi(t[1]));
            return;
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("blynkd exited during start-up:\n" + text);
        }
        // 1 ms polling bounds the start-up measurement error to about a millisecond.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    throw std::runtime_error("blynkd did not report its ports within 60 s:\n" + log_tail(20));
}

StopStats BlynkdProcess::stop() {
    StopStats s;
    if (pid_ <= 0) return s;
    const uint64_t t0 = now_ns();
    ::kill(pid_, SIGTERM);
    s.exit_code = wait_exit(pid_, 20'000);
    s.stop_ms = static_cast<double>(now_ns() - t0) / 1e6;
    pid_ = -1;
    const std::regex stopped(
        R"(stopped; (\d+) pin value\(s\) committed in (\d+) flush\(es\) \((\d+) ms of commits, at most (\d+) waiting)");
    // Search only the last such line: a storm's log can be tens of MB, too much for std::regex.
    const std::string text = log();
    const size_t at = text.rfind("stopped; ");
    const std::string line =
        at == std::string::npos ? "" : text.substr(at, text.find('\n', at) - at);
    std::smatch m;
    if (std::regex_search(line, m, stopped)) {
        s.pins_committed = std::stoll(m[1]);
        s.flushes = std::stoll(m[2]);
        s.commit_ms = std::stoll(m[3]);
        s.max_pending = std::stoll(m[4]);
    }
    return s;
}

std::string BlynkdProcess::log() const {
    return read_all(log_path_);
}

std::string BlynkdProcess::log_tail(size_t lines) const {
    const std::string text = log();
    size_t pos = text.size();
    for (size_t i = 0; i <= lines && pos > 0; ++i) {
        pos = text.rfind('\n', pos - 1);
        if (pos == std::string::npos) return text;
    }
    return text.substr(pos + 1);
}

}  // namespace blynk::bench
