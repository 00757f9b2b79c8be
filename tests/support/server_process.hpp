#pragma once
// Starts the real blynkd binary on 127.0.0.1 with ephemeral ports and a temp data dir, for
// integration tests. Provisioning goes through the binary's own CLI, as a user would do it.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace blynk::test {

struct CommandResult {
    int exit_code = -1;
    std::string out;  ///< stdout
    std::string err;  ///< stderr
};

/// The command that runs the blynkd under test: the binary, or in a cross build whose tests run
/// under an emulator, the emulator's words followed by the binary.
std::vector<std::string> blynkd_command();

/// {"--allow-root"} when the tests run as root (here and in CI), so that the server starts;
/// otherwise nothing.
const std::vector<std::string>& root_flag();

/// How long the tests wait for the server, given what is ample natively: ten times that when blynkd
/// runs under an emulator (qemu-user runs PBKDF2 logins and TLS handshakes 20-40 times slower),
/// four times under ASan (its malloc makes OpenSSL's PBKDF2 about 7 times slower: a sign-in
/// took over 3 s in CI beside other tests). Durations of expected silence are not scaled.
constexpr std::chrono::milliseconds patient(std::chrono::milliseconds native) {
#ifdef BLYNKD_EMULATOR
    return native * 10;
#elif defined(BLYNKD_SANITIZED)
    return native * 4;
#else
    return native;
#endif
}

class ServerProcess {
public:
    /// `settings` become `--set key=value` arguments (listen.address defaults to 127.0.0.1,
    /// http.port and https.port to 0, an ephemeral port). With storage=postgresql and no
    /// storage.postgresql.url, a fresh database of the test process's PostgreSQL server is used;
    /// the environment variable BLYNKD_TEST_STORAGE=postgresql makes that the default (to run
    /// any test on PostgreSQL by hand).
    explicit ServerProcess(std::map<std::string, std::string> settings = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    /// Runs `blynkd <args> --data-dir <dir>` (with the storage.* settings) to completion;
    /// callable from several threads.
    CommandResult cli(const std::vector<std::string>& args) const;
    /// `user add` + `device add`; returns the new token (fails the test on error).
    std::string provision(const std::string& email, const std::string& device_name = "Board");

    /// A `--set key=value` for the next start() (a value known only after provisioning).
    void set_setting(const std::string& key, std::string value) {
        settings_[key] = std::move(value);
    }
    /// Words that start() puts before the server's command, e.g. a shell that sets the process
    /// up and then execs the server (so pid() stays the server's).
    void set_server_prefix(std::vector<std::string> words) { server_prefix_ = std::move(words); }
    /// The running server's process id (-1 when it is not running).
    pid_t pid() const { return pid_; }

    /// Starts the server and waits until it logs its listening ports.
    void start();
    /// SIGTERM (graceful) and wait; returns the exit code.
    int stop();
    /// SIGKILL and wait.
    void kill9();
    bool running() const { return pid_ > 0; }
    /// How the server ended if it exited without stop()/kill9() ("was killed by signal 13 (Broken
    /// pipe)", "exited with code 1"); empty while it runs or after a deliberate stop.
    std::string unexpected_exit();

    /// http.port: plain (hardware, TLS, HTTP).
    uint16_t port() const { return port_; }
    /// https.port: TLS only.
    uint16_t tls_port() const { return tls_port_; }
    const std::filesystem::path& data_dir() const { return data_dir_; }
    /// Where the server keeps its database: the SQLite file or the PostgreSQL URL.
    std::string database_location() const;
    /// Everything the server logged so far.
    std::string log() const;
    /// Waits until the log contains `needle` (true) or the timeout passes (false).
    bool wait_for_log(const std::string& needle,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

private:
    std::map<std::string, std::string> settings_;
    std::vector<std::string> server_prefix_;
    std::filesystem::path data_dir_;
    std::filesystem::path log_path_;
    pid_t pid_ = -1;
    uint16_t port_ = 0;
    uint16_t tls_port_ = 0;
    size_t log_offset_ = 0;  ///< where the current run's log starts
};

}  // namespace blynk::test
