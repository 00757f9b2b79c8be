#include "tools/bench/echo_server.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tools/bench/net.hpp"

namespace blynk::bench {

namespace {

int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

EchoServer::EchoServer() {
    listen_fd_ = listen_loopback(port_);
    ep_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (listen_fd_ < 0 || ep_ < 0) throw std::runtime_error("echo server: cannot listen");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = listen_fd_;
    ::epoll_ctl(ep_, EPOLL_CTL_ADD, listen_fd_, &ev);
    thread_ = std::thread([this] { run(); });
}

EchoServer::~EchoServer() {
    stop_ = true;
    thread_.join();
    ::close(ep_);
    ::close(listen_fd_);
}

double EchoServer::cpu_seconds() const {
    return static_cast<double>(cpu_ns_.load()) / 1e9;
}

void EchoServer::run() {
    std::vector<epoll_event> events(512);
    std::vector<char> buf(256 * 1024);
    // Bytes a client did not take yet; rare (only when its socket buffer is full).
    std::unordered_map<int, std::string> pending;
    std::unordered_set<int> clients;
    while (!stop_) {
        const int n = ::epoll_wait(ep_, events.data(), static_cast<int>(events.size()), 100);
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == listen_fd_) {
                for (int k = 0; k < 256; ++k) {
                    const int c =
                        ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (c < 0) break;
                    clients.insert(c);
                    epoll_event ev{};
                    ev.events = EPOLLIN;
                    ev.data.fd = c;
                    ::epoll_ctl(ep_, EPOLL_CTL_ADD, c, &ev);
                }
                continue;
            }
            auto drop = [&] {
                ::epoll_ctl(ep_, EPOLL_CTL_DEL, fd, nullptr);
                pending.erase(fd);
                clients.erase(fd);
                ::close(fd);
            };
            if (events[i].events & EPOLLOUT) {
                std::string& p = pending[fd];
                const ssize_t w = ::send(fd, p.data(), p.size(), MSG_NOSIGNAL);
                if (w < 0 && errno != EAGAIN) {
                    drop();
                    continue;
                }
                if (w > 0) p.erase(0, static_cast<size_t>(w));
                if (p.empty()) {
                    pending.erase(fd);
                    epoll_event ev{};
                    ev.events = EPOLLIN;
                    ev.data.fd = fd;
                    ::epoll_ctl(ep_, EPOLL_CTL_MOD, fd, &ev);
                }
                continue;
            }
            if (pending.count(fd)) continue;  // back-pressure: read again once it drained
            const ssize_t r = ::recv(fd, buf.data(), buf.size(), 0);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                drop();
                continue;
            }
            if (r < 0) continue;
            ssize_t w = ::send(fd, buf.data(), static_cast<size_t>(r), MSG_NOSIGNAL);
            if (w < 0 && errno != EAGAIN) {
                drop();
                continue;
            }
            if (w < 0) w = 0;
            if (w < r) {
                pending[fd].assign(buf.data() + w, static_cast<size_t>(r - w));
                epoll_event ev{};
                ev.events = EPOLLOUT;
                ev.data.fd = fd;
                ::epoll_ctl(ep_, EPOLL_CTL_MOD, fd, &ev);
            }
        }
        cpu_ns_ = thread_cpu_ns();
    }
    for (int fd : clients)
        ::close(fd);
}

}  // namespace blynk::bench
