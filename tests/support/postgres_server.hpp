#pragma once
// A PostgreSQL server of the test's own, from Debian's packages: initdb in a temp folder (trust
// authentication for the superuser "blynkd"), then postgres on 127.0.0.1 and a free port, its
// unix socket in that folder, as nobody when the tests run as root (PostgreSQL refuses root).
// Tuned for tests: fsync and full-page writes off, small buffers. Commits stay synchronous
// (unless a test sets synchronous_commit=off itself): fsync=off loses data only when the machine
// crashes, but an asynchronous commit is lost when the server is killed, which crash tests do.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "tests/support/child_process.hpp"
#include "tests/support/service_process.hpp"

namespace blynk::test {

class PostgresServer {
public:
    /// Creates and starts the server; `settings` are more `-c name=value` (they win over the
    /// test defaults). Throws std::runtime_error, with the server's log, when it fails.
    explicit PostgresServer(
        std::initializer_list<std::pair<const std::string, std::string>> settings = {});
    /// Stops the server; removes its folder unless a test failed.
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    /// One server for the whole test process, started on first use (about 0.6 s here) and stopped
    /// at exit: tests take a database of their own from it with create_database(). First call it
    /// from the test's main thread: the server is told to stop when the thread that started it
    /// ends.
    static PostgresServer& shared();

    /// A libpq connection URI for `database`: postgresql://blynkd@127.0.0.1:PORT/DATABASE.
    std::string url(const std::string& database) const;
    uint16_t port() const { return port_; }
    /// CREATE DATABASE `name`; returns url(name). Throws when the server refuses.
    std::string create_database(const std::string& name);

    /// Starts the server on the same folder and port and waits (up to 30 s) until it accepts
    /// connections. Throws, with its log, when it exits or does not answer in time.
    void start();
    /// Fast shutdown (SIGINT: open sessions are ended, everything committed is kept) and wait.
    void stop();
    /// A crash: SIGKILL to the server and all its backends at once; start() runs crash recovery.
    void kill();
    bool running() const { return process_ != nullptr; }

    /// Everything the server logged (all runs, and initdb's output).
    std::string log() const;
    const std::filesystem::path& dir() const { return folder_.path(); }

private:
    ServiceFolder folder_;  ///< the socket folder; data/ and postgres.log inside
    std::map<std::string, std::string> settings_;
    uint16_t port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

}  // namespace blynk::test
