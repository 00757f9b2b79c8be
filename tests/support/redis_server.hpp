#pragma once
// A Redis server of the test's own, from Debian's redis-server: a generated config (127.0.0.1 and
// a free port only, protected mode, no persistence unless asked, its folder in a temp folder), as
// nobody when the tests run as root. Debian's own redis-server service, if one runs, is neither
// used nor touched.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/service_process.hpp"

namespace blynk::test {

class RedisServer {
public:
    /// Whether the server keeps its data across restarts (an append-only file in its folder).
    enum class Persistence { none, append_only };

    /// Creates and starts the server. Throws std::runtime_error, with its log, when it fails.
    explicit RedisServer(Persistence persistence = Persistence::none);
    /// Stops the server; removes its folder unless a test failed.
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    uint16_t port() const { return port_; }
    /// redis://127.0.0.1:PORT
    std::string url() const;

    /// Starts the server on the same folder and port and waits (up to 10 s) until it answers PING.
    void start();
    /// SIGTERM (Redis shuts down, writing its append-only file if it keeps one) and wait.
    void stop();
    /// A crash: SIGKILL.
    void kill();
    /// SIGSTOP: the server accepts connections (the kernel does) but answers nothing, like a
    /// partitioned or frozen node. resume() (SIGCONT) lets it answer again.
    void pause();
    void resume();
    bool running() const { return process_ != nullptr; }

    /// One command over a new connection, its reply's bytes as they came ("+PONG\r\n",
    /// "$3\r\nbar\r\n"); nullopt when no complete reply came within `timeout`.
    std::optional<std::string> command(const std::vector<std::string>& args,
                                       std::chrono::milliseconds timeout) const;

    /// Everything the server logged (all runs).
    std::string log() const;
    const std::filesystem::path& dir() const { return folder_.path(); }

private:
    ServiceFolder folder_;
    uint16_t port_ = 0;
    bool paused_ = false;
    std::unique_ptr<ChildProcess> process_;
};

/// The bytes of one RESP command (an array of bulk strings).
std::string resp_command(const std::vector<std::string>& args);

/// The length of the first complete RESP reply at the start of `bytes`, or 0 while it is not
/// complete (simple strings, errors, integers, bulk strings and arrays of them).
size_t resp_reply_length(const std::string& bytes, size_t from = 0);

}  // namespace blynk::test
