#include "tests/support/redis_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/service_user.hpp"

namespace blynk::test {
namespace {

constexpr const char* kRedisServer = "/usr/bin/redis-server";

/// A TCP connection to 127.0.0.1:`port`, closed when it goes; fd() < 0 when refused.
class Connection {
public:
    explicit Connection(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    ~Connection() {
        if (fd_ >= 0) ::close(fd_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    int fd() const { return fd_; }

private:
    int fd_;
};

}  // namespace

std::string resp_command(const std::vector<std::string>& args) {
    std::string bytes = "*" + std::to_string(args.size()) + "\r\n";
    for (const auto& arg : args)
        bytes += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
    return bytes;
}

size_t resp_reply_length(const std::string& bytes, size_t from) {
    const size_t line_end = bytes.find("\r\n", from);
    if (from >= bytes.size() || line_end == std::string::npos) return 0;
    const size_t header = line_end + 2 - from;
    const long count = std::atol(bytes.c_str() + from + 1);
    switch (bytes[from]) {
        case '$':
            if (count < 0) return header;  // the null bulk string
            return bytes.size() >= from + header + static_cast<size_t>(count) + 2
                       ? header + static_cast<size_t>(count) + 2
                       : 0;
        case '*': {
            size_t length = header;
            for (long i = 0; i < count; ++i) {
                const size_t element = resp_reply_length(bytes, from + length);
                if (element == 0) return 0;
                length += element;
            }
            return length;
        }
        default:  // +simple, -error, :integer
            return header;
    }
}

RedisServer::RedisServer(Persistence persistence) : dir_(fresh_test_folder("blynkd-redis")) {
    give_to_service_user(dir_);
    // The port comes on the command line (start()), so that a retry can pick another.
    std::ofstream config(dir_ / "redis.conf");
    config << "bind 127.0.0.1\n"
           << "protected-mode yes\n"
           << "daemonize no\n"
           << "logfile \"\"\n"
           << "dir " << dir_.string() << "\n"
           << "save \"\"\n"
           << "appendonly " << (persistence == Persistence::append_only ? "yes" : "no") << "\n";
    config.close();
    start_on_free_port(port_, [this] { start(); });
}

RedisServer::~RedisServer() {
    stop();
    std::error_code ec;
    if (!::testing::UnitTest::GetInstance()->Failed()) std::filesystem::remove_all(dir_, ec);
}

std::string RedisServer::url() const {
    return "redis://127.0.0.1:" + std::to_string(port_);
}

void RedisServer::start() {
    if (process_) return;
    if (!std::filesystem::exists(kRedisServer))
        throw std::runtime_error(std::string("no ") + kRedisServer +
                                 " (scripts/install-deps.sh test installs redis-server)");
    // SIGKILL should the test process die without stopping it: SIGTERM would wait while the
    // server is paused.
    process_ = std::make_unique<ChildProcess>(
        service_command(
            {kRedisServer, (dir_ / "redis.conf").string(), "--port", std::to_string(port_)},
            "SIGKILL"),
        dir_ / "redis.log", ChildProcess::ReadyLine::none);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (command({"PING"}, std::chrono::milliseconds(200)) != "+PONG\r\n") {
        if (process_->wait(std::chrono::milliseconds(0))) {
            const int code = process_->exit_code();
            process_.reset();
            throw std::runtime_error("redis-server exited during start-up (exit code " +
                                     std::to_string(code) + "):\n" + log());
        }
        if (std::chrono::steady_clock::now() > deadline) {
            kill();
            throw std::runtime_error("redis-server did not answer PING on " + url() +
                                     " within 10 s:\n" + log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void RedisServer::stop() {
    if (!process_) return;
    resume();
    process_->signal(SIGTERM);
    if (!process_->wait(std::chrono::seconds(10))) {
        ADD_FAILURE() << "redis-server did not shut down within 10 s of SIGTERM; killed:\n"
                      << log();
        kill();
    }
    process_.reset();
}

void RedisServer::kill() {
    if (!process_) return;
    process_->signal(SIGKILL);
    process_->wait(std::chrono::seconds(5));
    process_.reset();
    paused_ = false;
}

void RedisServer::pause() {
    if (!process_ || paused_) return;
    process_->signal(SIGSTOP);
    paused_ = true;
}

void RedisServer::resume() {
    if (!process_ || !paused_) return;
    process_->signal(SIGCONT);
    paused_ = false;
}

std::optional<std::string> RedisServer::command(const std::vector<std::string>& args,
                                                std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const Connection connection(port_);
    if (connection.fd() < 0) return std::nullopt;
    const std::string request = resp_command(args);
    if (::send(connection.fd(), request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size()))
        return std::nullopt;
    std::string reply;
    while (resp_reply_length(reply) == 0) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd readable{connection.fd(), POLLIN, 0};
        if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) <= 0)
            return std::nullopt;
        char buffer[4096];
        const ssize_t n = ::recv(connection.fd(), buffer, sizeof buffer, 0);
        if (n <= 0) return std::nullopt;
        reply.append(buffer, static_cast<size_t>(n));
    }
    return reply;
}

std::string RedisServer::log() const {
    return file_text(dir_ / "redis.log");
}

}  // namespace blynk::test
