#include "tests/support/redis_server.hpp"

#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "tests/support/raw_client.hpp"
#include "tests/support/service_process.hpp"

namespace blynk::test {
namespace {

constexpr const char* kRedisServer = "/usr/bin/redis-server";

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

RedisServer::RedisServer(Persistence persistence) : folder_("blynkd-redis") {
    // The port comes on the command line (start()), so that a retry can pick another.
    std::ofstream config(dir() / "redis.conf");
    config << "bind 127.0.0.1\n"
           << "protected-mode yes\n"
           << "daemonize no\n"
           << "logfile \"\"\n"
           << "dir " << dir().string() << "\n"
           << "save \"\"\n"
           << "appendonly " << (persistence == Persistence::append_only ? "yes" : "no") << "\n";
    config.close();
    start_on_free_port(port_, [this] { start(); });
}

RedisServer::~RedisServer() {
    stop();
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
    process_ = start_service(
        "redis-server",
        service_command(
            {kRedisServer, (dir() / "redis.conf").string(), "--port", std::to_string(port_)},
            "SIGKILL"),
        dir() / "redis.log",
        [this] { return command({"PING"}, std::chrono::milliseconds(200)) == "+PONG\r\n"; },
        std::chrono::seconds(10));
}

void RedisServer::stop() {
    resume();
    stop_service(process_, SIGTERM, std::chrono::seconds(10));
}

void RedisServer::kill() {
    kill_service(process_);
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
    try {
        RawClient connection(port_);
        connection.send(resp_command(args));
        std::string reply;
        while (resp_reply_length(reply) == 0) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            const std::string line =
                left.count() > 0 ? connection.read_until("\r\n", left) : std::string();
            if (line.empty()) return std::nullopt;
            reply += line;
        }
        return reply;
    } catch (const std::runtime_error&) {  // refused: not running
        return std::nullopt;
    }
}

std::string RedisServer::log() const {
    return file_text(dir() / "redis.log");
}

}  // namespace blynk::test
