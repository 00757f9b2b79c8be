#pragma once
// A helper server a test runs next to blynkd (an SMTP or HTTP server in Python): started with its
// output in a file, waited for until it prints "ready <port>", killed by its pid at the end.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace blynk::test {

class ChildProcess {
public:
    /// Starts `argv` with stdout and stderr appended to `output`; waits (up to 10 s) for its
    /// "ready <port>" line. port() is 0 when it never came (the test then fails on its own).
    ChildProcess(const std::vector<std::string>& argv, std::filesystem::path output);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    uint16_t port() const { return port_; }
    /// What it printed so far.
    std::string output() const;

private:
    pid_t pid_ = -1;
    uint16_t port_ = 0;
    std::filesystem::path output_;
};

/// A self-signed certificate for 127.0.0.1 (made with the openssl command) in `dir`: cert.pem
/// and key.pem.
void make_test_certificate(const std::filesystem::path& dir);

}  // namespace blynk::test
