// Floods at the front door: connections that never log in, from one address, capped per address
// (prelogin.per.ip.limit) while other addresses are served; file descriptors used up, with the
// sessions already open still served and new ones accepted again once they are back; and a
// short first packet waited on without polling.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "tests/support/fixture.hpp"
#include "tests/support/occurrences.hpp"

namespace blynk::test {
namespace {

/// The flood's address: another loopback address than the devices' 127.0.0.1.
constexpr const char* kFloodAddress = "127.0.0.2";

/// A TCP connection to 127.0.0.1:`port` from `from`; -1 when it cannot be made.
int connect_from(const char* from, uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from, &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// Blocking reads on `fd` give up after `seconds`.
void set_receive_timeout(int fd, long seconds) {
    timeval timeout{seconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

/// Connections the test holds; closed when it ends.
class Flood {
public:
    Flood() = default;
    Flood(const Flood&) = delete;
    Flood& operator=(const Flood&) = delete;
    ~Flood() { release(); }

    void add(int fd) {
        if (fd >= 0) fds_.push_back(fd);
    }
    void release() {
        for (int fd : fds_)
            ::close(fd);
        fds_.clear();
    }
    /// The connections the server has not closed after `settle`.
    size_t still_open(std::chrono::milliseconds settle) const {
        std::this_thread::sleep_for(settle);
        size_t open = 0;
        for (int fd : fds_) {
            pollfd p{fd, POLLIN, 0};
            char c;
            if (::poll(&p, 1, 0) == 0 || ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0) ++open;
        }
        return open;
    }
    size_t size() const { return fds_.size(); }

private:
    std::vector<int> fds_;
};

/// TLS connections from the flood's address that finish their handshake and then say nothing.
/// OpenSSL writes to the socket with write(2): SIGPIPE is ignored meanwhile, since the server
/// closes those beyond the cap.
class TlsFlood {
public:
    TlsFlood() : ctx_(SSL_CTX_new(TLS_client_method())) {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        ::sigaction(SIGPIPE, &ignore, &saved_sigpipe_);
    }
    TlsFlood(const TlsFlood&) = delete;
    TlsFlood& operator=(const TlsFlood&) = delete;
    ~TlsFlood() {
        for (SSL* ssl : open_)
            SSL_free(ssl);
        flood_.release();
        SSL_CTX_free(ctx_);
        ::sigaction(SIGPIPE, &saved_sigpipe_, nullptr);
    }

    /// True when the handshake finished (the server did not close the connection first).
    bool connect(uint16_t port) {
        int fd = connect_from(kFloodAddress, port);
        if (fd < 0) return false;
        set_receive_timeout(fd, 2);
        SSL* ssl = SSL_new(ctx_);
        SSL_set_fd(ssl, fd);
        flood_.add(fd);
        if (SSL_connect(ssl) != 1) {
            SSL_free(ssl);
            return false;
        }
        open_.push_back(ssl);
        return true;
    }

private:
    SSL_CTX* ctx_;
    struct sigaction saved_sigpipe_ {};
    std::vector<SSL*> open_;
    Flood flood_;
};

TlsOptions trusting(const ServerProcess& s) {
    return TlsOptions{(s.data_dir() / "tls" / "cert.pem").string()};
}

class PreloginFloodTest : public ServerTest {
protected:
    static constexpr size_t kLimit = 20;
    std::map<std::string, std::string> settings() const override {
        return {{"prelogin.per.ip.limit", std::to_string(kLimit)}, {"login.timeout", "30"}};
    }
};

TEST_F(PreloginFloodTest, UnfinishedPlainConnectionsFromOneAddressAreCapped) {
    Flood flood;
    for (size_t i = 0; i < 2 * kLimit; ++i) {
        const int fd = connect_from(kFloodAddress, server_->port());
        // Half say nothing (detection), half start a hardware login and stop (the session).
        if (i % 2 == 1) ::send(fd, "\x1d\x00\x01", 3, MSG_NOSIGNAL);
        flood.add(fd);
    }
    ASSERT_EQ(flood.size(), 2 * kLimit);
    EXPECT_EQ(flood.still_open(500ms), kLimit);

    const auto started = std::chrono::steady_clock::now();
    auto device = logged_in(token_a_);  // another address is not affected
    EXPECT_LT(std::chrono::steady_clock::now() - started, patient(1s));
    RawClient tls_device(server_->tls_port(), trusting(*server_));
    tls_device.login(token_b_);

    const std::string refused =
        "too many unfinished connections from 127.0.0.2 (prelogin.per.ip.limit=20)";
    ASSERT_TRUE(server_->wait_for_log(refused));
    EXPECT_EQ(occurrences(server_->log(), refused), 1u) << "refusals are logged once per interval";

    // Closed connections give their places back.
    flood.release();
    std::this_thread::sleep_for(300ms);
    Flood again;
    for (size_t i = 0; i < kLimit; ++i)
        again.add(connect_from(kFloodAddress, server_->port()));
    EXPECT_EQ(again.still_open(300ms), kLimit);
}

TEST_F(PreloginFloodTest, UpgradedWebSocketsThatNeverLogInStillCount) {
    const std::string upgrade =
        "GET /websockets HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    Flood flood;
    for (size_t i = 0; i < 2 * kLimit; ++i) {
        const int fd = connect_from(kFloodAddress, server_->port());
        ::send(fd, upgrade.data(), upgrade.size(), MSG_NOSIGNAL);
        flood.add(fd);
    }
    ASSERT_EQ(flood.size(), 2 * kLimit);
    EXPECT_EQ(flood.still_open(500ms), kLimit)
        << "an upgrade is not a login: the WebSocket session keeps its place until it logs in";
}

TEST_F(PreloginFloodTest, UnfinishedTlsConnectionsFromOneAddressAreCapped) {
    TlsFlood flood;
    size_t finished = 0;
    for (size_t i = 0; i < kLimit + 5; ++i)
        finished += flood.connect(i % 2 ? server_->tls_port() : server_->port());
    EXPECT_EQ(finished, kLimit) << "handshakes beyond the cap";

    const auto started = std::chrono::steady_clock::now();
    RawClient device(server_->tls_port(), trusting(*server_));
    device.login(token_a_);
    EXPECT_LT(std::chrono::steady_clock::now() - started, patient(1s));
    auto plain = logged_in(token_b_);
    EXPECT_TRUE(server_->wait_for_log("too many unfinished connections from 127.0.0.2"));
}

class PreloginFinishedTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"prelogin.per.ip.limit", "2"}};
    }
};

TEST_F(PreloginFinishedTest, LoggedInDevicesAndAnsweredHttpRequestsDoNotCount) {
    Flood held;
    auto request = [&] {
        const int fd = connect_from(kFloodAddress, server_->port());
        const std::string get = "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n";
        ::send(fd, get.data(), get.size(), MSG_NOSIGNAL);
        set_receive_timeout(fd, 3);
        char answer[4096] = {};
        ::recv(fd, answer, 8, MSG_WAITALL);
        std::this_thread::sleep_for(100ms);
        char rest[4096];
        while (::recv(fd, rest, sizeof rest, MSG_DONTWAIT) > 0) {
        }
        held.add(fd);  // keep-alive: open, but finished
        return std::string(answer);
    };
    auto login = [&](const std::string& token) {
        const int fd = connect_from(kFloodAddress, server_->port());
        const std::string login_frame = frame(cmd::kHardwareLogin, 1, token);
        ::send(fd, login_frame.data(), login_frame.size(), MSG_NOSIGNAL);
        std::string answer(5, '\0');
        set_receive_timeout(fd, 3);
        const ssize_t n = ::recv(fd, answer.data(), answer.size(), MSG_WAITALL);
        held.add(fd);
        return n == 5 ? answer : std::string();
    };
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(request(), "HTTP/1.1");
    EXPECT_EQ(login(token_a_), response(1, status::kOk));
    EXPECT_EQ(login(token_b_), response(1, status::kOk));
    // Five connections open, all finished: both places are still free, and only two.
    Flood unfinished;
    for (int i = 0; i < 3; ++i)
        unfinished.add(connect_from(kFloodAddress, server_->port()));
    EXPECT_EQ(unfinished.still_open(500ms), 2u);
    EXPECT_EQ(held.still_open(0ms), 5u);
}

/// The sum of voluntary context switches over the server's threads: each time one of them went
/// to sleep (a wake-up ends every such sleep).
uint64_t voluntary_switches(pid_t pid) {
    uint64_t total = 0;
    const auto tasks = std::filesystem::path("/proc") / std::to_string(pid) / "task";
    for (const auto& task : std::filesystem::directory_iterator(tasks)) {
        std::ifstream status(task.path() / "status");
        for (std::string line; std::getline(status, line);) {
            if (line.rfind("voluntary_ctxt_switches:", 0) == 0)
                total += std::stoull(line.substr(line.find(':') + 1));
        }
    }
    return total;
}

class DetectionWaitTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"login.timeout", "30"}, {"storage.flush.interval.ms", "10000"}};
    }
    /// The server's wake-ups during `d`.
    uint64_t wakeups_during(std::chrono::milliseconds d) {
        const pid_t pid = server_->pid();
        const uint64_t before = voluntary_switches(pid);
        std::this_thread::sleep_for(d);
        return voluntary_switches(pid) - before;
    }
};

TEST_F(DetectionWaitTest, AShortFirstPacketIsWaitedOnWithoutPolling) {
    const uint64_t idle = wakeups_during(2s);
    auto c = connect();
    c->send("G");  // could still become "GET ": detection needs more
    const uint64_t waiting = wakeups_during(2s);
    // Polling every 5 ms woke the server hundreds of times in 2 s; waiting for readiness, it
    // wakes as often as when idle.
    EXPECT_LT(waiting, idle + 60) << "idle: " << idle << " wake-ups in 2 s";

    // The rest is detected, and the session that takes over wakes for a single byte again.
    c->send("ET /nothing-here HTTP/1.1\r\nHost: x\r\n\r");
    std::this_thread::sleep_for(100ms);
    c->send("\n");
    const std::string status_line = c->read_until("\r\n");
    EXPECT_EQ(status_line.rfind("HTTP/1.1 ", 0), 0u) << status_line;
}

TEST_F(DetectionWaitTest, AShortFirstPacketThenTheEndIsClosedAtOnce) {
    Flood c;
    const int fd = connect_from("127.0.0.1", server_->port());
    c.add(fd);
    ASSERT_EQ(::send(fd, "\x02", 1, MSG_NOSIGNAL), 1);  // a login's first byte, and the end
    ASSERT_EQ(::shutdown(fd, SHUT_WR), 0);
    EXPECT_EQ(c.still_open(patient(1s)), 0u) << "waited for the detection deadline instead";
}

/// The server's open files, from /proc.
size_t open_files(pid_t pid) {
    const auto fds = std::filesystem::path("/proc") / std::to_string(pid) / "fd";
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(fds), {}));
}

class FdExhaustionTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        // The per-address cap would stop the flood first: this test is about what lies beyond.
        return {{"prelogin.per.ip.limit", "100000"}, {"login.timeout", "30"}};
    }
};

TEST_F(FdExhaustionTest, OpenSessionsAreServedAndAcceptingResumes) {
#if defined(__SANITIZE_ADDRESS__)
    // UBSan checks that memory is readable by writing it to a pipe; with no file left that pipe
    // fails, and every virtual call it checks is reported as an invalid vptr.
    GTEST_SKIP() << "fd exhaustion makes the sanitizers' own checks fail (they need a pipe)";
#endif
    auto device = logged_in(token_a_);
    // A few files to spare, then none.
    const pid_t pid = server_->pid();
    const rlim_t files = open_files(pid) + 20;
    const rlimit low{files, files};
    ASSERT_EQ(::prlimit(pid, RLIMIT_NOFILE, &low, nullptr), 0) << std::strerror(errno);

    Flood flood;  // the kernel queues what the server cannot accept
    for (int i = 0; i < 60; ++i)
        flood.add(connect_from(kFloodAddress, server_->port()));
    ASSERT_TRUE(server_->wait_for_log("accept failed: Too many open files"));
    std::this_thread::sleep_for(1500ms);

    device->send_frame(cmd::kPing, 2);
    EXPECT_TRUE(device->expect_response(2, status::kOk)) << "an open session was not served";
    EXPECT_LE(occurrences(server_->log(), "accept failed"), 2u) << server_->log();

    flood.release();
    const auto released = std::chrono::steady_clock::now();
    auto late = logged_in(token_b_);
    EXPECT_LT(std::chrono::steady_clock::now() - released, patient(3s));
    EXPECT_TRUE(server_->wait_for_log("accepting again after"));
}

}  // namespace
}  // namespace blynk::test
