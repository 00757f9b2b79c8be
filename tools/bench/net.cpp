#include "tools/bench/net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "tools/bench/clock.hpp"

namespace blynk::bench {

namespace {

constexpr size_t kSourceAddresses = 16;

sockaddr_in loopback(uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// Waits for `events` on fd until `deadline_ns`; false on timeout or error.
bool wait_fd(int fd, short events, uint64_t deadline_ns) {
    for (;;) {
        const uint64_t now = now_ns();
        if (now >= deadline_ns) return false;
        pollfd p{fd, events, 0};
        const int ms = static_cast<int>((deadline_ns - now) / 1'000'000) + 1;
        const int rc = ::poll(&p, 1, ms);
        if (rc > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
        if (rc < 0 && errno != EINTR) return false;
    }
}

}  // namespace

uint64_t raise_nofile_limit() {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) != 0) return 0;
    if (r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
        getrlimit(RLIMIT_NOFILE, &r);
    }
    return r.rlim_cur;
}

int connect_loopback(uint16_t port, bool& in_progress, size_t source) {
    in_progress = false;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (const size_t host = source % kSourceAddresses; host != 0) {
        // The port is still chosen at connect(), per (source, destination) pair.
        ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in src = loopback(0);
        src.sin_addr.s_addr = htonl(INADDR_LOOPBACK + static_cast<uint32_t>(host));
        if (::bind(fd, reinterpret_cast<const sockaddr*>(&src), sizeof src) != 0) {
            const int saved = errno;
            ::close(fd);
            errno = saved;
            return -1;
        }
    }
    const sockaddr_in a = loopback(port);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0) return fd;
    if (errno == EINPROGRESS) {
        in_progress = true;
        return fd;
    }
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
}

int connect_loopback_blocking(uint16_t port, int timeout_ms) {
    bool in_progress = false;
    const int fd = connect_loopback(port, in_progress);
    if (fd < 0 || !in_progress) return fd;
    if (!wait_fd(fd, POLLOUT, now_ns() + static_cast<uint64_t>(timeout_ms) * 1'000'000) ||
        socket_error(fd) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

int socket_error(int fd) {
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
    return err;
}

void close_with_rst(int fd) {
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

void reset_connection(int fd, SSL* ssl) {
    if (ssl) {
        SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
        SSL_free(ssl);
    }
    close_with_rst(fd);
}

void epoll_want(int ep, int fd, uint64_t key, uint32_t& registered, uint32_t events) {
    if (registered == events) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = key;
    ::epoll_ctl(ep, registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
    registered = events;
}

int listen_loopback(uint16_t& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 4096) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(fd);
        return -1;
    }
    port = ntohs(a.sin_port);
    return fd;
}

namespace {

// One non-blocking send or receive, through `ssl` when set: the bytes moved, 0 when it has to
// wait for `wait` (POLLIN / POLLOUT), -1 when the connection failed or closed.
ssize_t transfer(int fd, SSL* ssl, bool write, char* data, size_t n, short& wait) {
    if (ssl) {
        const int len = static_cast<int>(std::min<size_t>(n, 1 << 20));
        const int rc = write ? SSL_write(ssl, data, len) : SSL_read(ssl, data, len);
        if (rc > 0) return rc;
        const int e = SSL_get_error(ssl, rc);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) return -1;
        wait = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        return 0;
    }
    const ssize_t rc = write ? ::send(fd, data, n, MSG_NOSIGNAL) : ::recv(fd, data, n, 0);
    if (rc > 0) return rc;
    if (rc == 0 || (errno != EAGAIN && errno != EINTR)) return -1;
    wait = write ? POLLOUT : POLLIN;
    return 0;
}

}  // namespace

bool send_all(int fd, std::string_view data, int timeout_ms, SSL* ssl) {
    const uint64_t deadline = now_ns() + static_cast<uint64_t>(timeout_ms) * 1'000'000;
    while (!data.empty()) {
        short wait = 0;
        const ssize_t n =
            transfer(fd, ssl, true, const_cast<char*>(data.data()), data.size(), wait);
        if (n < 0 || (n == 0 && !wait_fd(fd, wait, deadline))) return false;
        data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

bool recv_exact(int fd, size_t n, std::string& out, int timeout_ms, SSL* ssl) {
    const uint64_t deadline = now_ns() + static_cast<uint64_t>(timeout_ms) * 1'000'000;
    char buf[16384];
    while (n > 0) {
        short wait = 0;
        const ssize_t r = transfer(fd, ssl, false, buf, std::min(n, sizeof buf), wait);
        if (r < 0 || (r == 0 && !wait_fd(fd, wait, deadline))) return false;
        out.append(buf, static_cast<size_t>(r));
        n -= static_cast<size_t>(r);
    }
    return true;
}

}  // namespace blynk::bench
