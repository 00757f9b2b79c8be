// systemd's notify protocol against the real binary: the test listens on a datagram socket named
// in NOTIFY_SOCKET (as systemd does, with SO_PASSCRED to learn the sender) and checks READY=1
// once both ports accept, STATUS= with connection counts, WATCHDOG=1 at half of WATCHDOG_USEC,
// RELOADING=1 ... READY=1 around SIGHUP and STOPPING=1 on SIGTERM. No systemd runs.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <thread>

#include "tests/support/fixture.hpp"
#include "tests/support/free_port.hpp"

namespace blynk::test {
namespace {

struct Notification {
    std::string text;
    pid_t pid = 0;
};

/// The listening end of NOTIFY_SOCKET.
class NotifyListener {
public:
    /// `name`: a path, or "@name" for the abstract namespace.
    explicit NotifyListener(const std::string& name) : name_(name) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, name.data(), name.size());
        socklen_t size = offsetof(sockaddr_un, sun_path) + name.size();
        if (name[0] == '@') {
            addr.sun_path[0] = '\0';
        } else {
            size += 1;
        }
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), size) != 0)
            throw std::runtime_error(std::string("bind NOTIFY_SOCKET: ") + std::strerror(errno));
        int on = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    }
    ~NotifyListener() { ::close(fd_); }

    /// The next datagram within `timeout`.
    std::optional<Notification> next(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
        char buf[4096];
        iovec iov{buf, sizeof buf};
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        const ssize_t n = ::recvmsg(fd_, &msg, 0);
        if (n < 0) return std::nullopt;
        Notification out{std::string(buf, static_cast<size_t>(n)), 0};
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
                ucred cred{};
                std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
                out.pid = cred.pid;
            }
        }
        return out;
    }

    /// Reads until a datagram contains `needle`; what came before it goes to `skipped`.
    std::optional<Notification> wait_for(const std::string& needle,
                                         std::chrono::milliseconds timeout,
                                         std::vector<std::string>* skipped = nullptr) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            auto n = next(left);
            if (!n) return std::nullopt;
            if (n->text.find(needle) != std::string::npos) return n;
            if (skipped) skipped->push_back(n->text);
        }
    }

    const std::string& name() const { return name_; }

private:
    std::string name_;
    int fd_ = -1;
};

bool accepts(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

uint64_t monotonic_usec() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

class SystemdNotifyTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("blynkd-notify-" + std::to_string(::getpid()) + "-" + std::to_string(++runs_));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
        if (server_) {
            const std::string crash = server_->unexpected_exit();
            if (!crash.empty()) ADD_FAILURE() << "blynkd " << crash << ":\n" << server_->log();
        }
        server_.reset();
        std::filesystem::remove_all(dir_);
    }

    /// Starts the server on a thread (start() returns once the log names the ports) with the
    /// notify variables set for it alone.
    std::thread start_server(const std::string& notify_socket, const char* watchdog_usec,
                             std::map<std::string, std::string> settings) {
        server_ = std::make_unique<ServerProcess>(std::move(settings));
        token_ = server_->provision("alice@example.com", "Board");
        ::setenv("NOTIFY_SOCKET", notify_socket.c_str(), 1);
        if (watchdog_usec) ::setenv("WATCHDOG_USEC", watchdog_usec, 1);
        return std::thread([this] { server_->start(); });
    }

    static inline int runs_ = 0;
    std::filesystem::path dir_;
    std::unique_ptr<ServerProcess> server_;
    std::string token_;
};

TEST_F(SystemdNotifyTest, ReadyStatusWatchdogReloadAndStopping) {
    NotifyListener listener((dir_ / "notify").string());
    const uint16_t plain = free_port();
    const uint16_t tls = free_port();
    std::thread starting =
        start_server(listener.name(), "300000",
                     {{"http.port", std::to_string(plain)}, {"https.port", std::to_string(tls)}});

    // The first datagram is READY=1, and by then both ports take connections.
    auto ready = listener.next(std::chrono::seconds(15));
    starting.join();
    ASSERT_TRUE(ready) << "no notification; log:\n" << server_->log();
    EXPECT_TRUE(ready->text.starts_with("READY=1\n")) << ready->text;
    EXPECT_TRUE(accepts(plain));
    EXPECT_TRUE(accepts(tls));
    EXPECT_NE(ready->text.find("STATUS=0 hardware, 0 app, "), std::string::npos) << ready->text;
    EXPECT_NE(ready->text.find("1 user(s), 1 device(s)"), std::string::npos) << ready->text;
    const pid_t pid = ready->pid;
    ASSERT_GT(pid, 0);
    EXPECT_TRUE(server_->wait_for_log("systemd: watchdog on, WATCHDOG=1 every 150 ms"));

    // WATCHDOG=1 keeps coming, about every 150 ms.
    int pings = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1000);
    while (std::chrono::steady_clock::now() < until) {
        auto n = listener.next(std::chrono::milliseconds(200));
        if (n && n->text == "WATCHDOG=1") ++pings;
    }
    EXPECT_GE(pings, 3);  // a loaded machine may delay a timer, not skip half of them
    EXPECT_LE(pings, 9);  // a quarter of WATCHDOG_USEC would give 13

    // STATUS= follows the connections.
    auto board = std::make_unique<RawClient>(server_->port());
    board->login(token_);
    auto status = listener.wait_for("STATUS=1 hardware, 0 app", std::chrono::seconds(5));
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->text.starts_with("STATUS=")) << status->text;
    board.reset();
    EXPECT_TRUE(listener.wait_for("STATUS=0 hardware, 0 app", std::chrono::seconds(5)));

    // SIGHUP: RELOADING=1 with the monotonic clock, the TLS reload, then READY=1.
    const uint64_t before_hup = monotonic_usec();
    ASSERT_EQ(::kill(pid, SIGHUP), 0);
    auto reloading = listener.wait_for("RELOADING=1", std::chrono::seconds(5));
    ASSERT_TRUE(reloading);
    const auto at = reloading->text.find("\nMONOTONIC_USEC=");
    ASSERT_NE(at, std::string::npos) << reloading->text;
    const uint64_t usec = std::stoull(reloading->text.substr(at + 16));
    EXPECT_GE(usec, before_hup);
    EXPECT_LE(usec, monotonic_usec());
    std::vector<std::string> between;
    auto reloaded = listener.wait_for("READY=1", std::chrono::seconds(5), &between);
    ASSERT_TRUE(reloaded);
    for (const auto& text : between)
        EXPECT_EQ(text, "WATCHDOG=1");
    EXPECT_TRUE(server_->wait_for_log("SIGHUP"));

    // SIGTERM: STOPPING=1 (the datagrams outlive the process in our socket).
    EXPECT_EQ(server_->stop(), 0);
    auto stopping = listener.wait_for("STOPPING=1", std::chrono::seconds(2));
    ASSERT_TRUE(stopping);
    EXPECT_EQ(stopping->pid, pid);
}

TEST_F(SystemdNotifyTest, AbstractSocketNameAndNoWatchdogUnlessAsked) {
    const std::string name = "@blynkd-test-" + std::to_string(::getpid());
    NotifyListener listener(name);
    std::thread starting = start_server(name, nullptr, {});
    auto ready = listener.next(std::chrono::seconds(15));
    starting.join();
    ASSERT_TRUE(ready) << server_->log();
    EXPECT_TRUE(ready->text.starts_with("READY=1\n")) << ready->text;
    // Without WATCHDOG_USEC, no pings.
    auto more = listener.next(std::chrono::milliseconds(700));
    EXPECT_FALSE(more) << more->text;
    EXPECT_EQ(server_->stop(), 0);
    EXPECT_TRUE(listener.wait_for("STOPPING=1", std::chrono::seconds(2)));
}

}  // namespace
}  // namespace blynk::test
