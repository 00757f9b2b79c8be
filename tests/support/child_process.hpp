#pragma once
// A helper server a test runs next to blynkd (an SMTP or HTTP server in Python, PostgreSQL, Redis):
// started with its output in a file, waited for until it prints "ready <port>" (or as its owner
// decides), signalled and killed by its pid.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace blynk::test {

class ChildProcess {
public:
    /// Whether the constructor waits for a "ready <port>" line.
    enum class ReadyLine { wait, none };

    /// Starts `argv` (an absolute path first) with stdout and stderr appended to `output`; waits
    /// (up to 10 s) for its "ready <port>" line unless told not to. port() is 0 when it never came
    /// (the test then fails on its own).
    ChildProcess(const std::vector<std::string>& argv, std::filesystem::path output,
                 ReadyLine ready = ReadyLine::wait);
    /// SIGKILL unless it has ended and been waited for.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    uint16_t port() const { return port_; }
    /// Its process id; -1 once it has been waited for.
    pid_t pid() const { return pid_; }
    /// Sends `sig` (SIGINT, SIGSTOP, ...); nothing once it has been waited for.
    void signal(int sig) const;
    /// Waits up to `timeout` for it to end: true when it ended (exit_code() then says how).
    bool wait(std::chrono::milliseconds timeout);
    /// Its exit code, or 128 + the signal that ended it; -1 while it runs.
    int exit_code() const { return exit_code_; }
    /// What it printed so far.
    std::string output() const;

private:
    pid_t pid_ = -1;
    int exit_code_ = -1;
    uint16_t port_ = 0;
    std::filesystem::path output_;
};

/// The whole content of a file ("" when it does not exist).
std::string file_text(const std::filesystem::path& path);

/// A new, empty folder under the temp folder for one test's helper files: <prefix>-<pid>-<n>.
std::filesystem::path fresh_test_folder(const std::string& prefix);

/// A self-signed certificate for 127.0.0.1 (made with the openssl command) in `dir`: cert.pem
/// and key.pem.
void make_test_certificate(const std::filesystem::path& dir);

}  // namespace blynk::test
