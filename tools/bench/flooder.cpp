#include "tools/bench/flooder.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "common/proto/command.hpp"
#include "tools/bench/clock.hpp"
#include "tools/bench/messages.hpp"

namespace blynk::bench {

namespace {

constexpr size_t kFramesPerRun = 256;
constexpr size_t kPins = 16;  // V10..V25: every frame of the run has the same size

}  // namespace

Flooder::Flooder(std::vector<int> fds) : fds_(std::move(fds)) {
    for (size_t k = 0; k < kFramesPerRun; ++k) {
        std::string value;
        append_stamp(value, k, 16);  // a value of fixed size: nobody measures the flood
        const size_t before = run_.size();
        append_frame(run_, proto::cmd::kHardware, message_id(k),
                     {"vw", std::to_string(10 + k % kPins), value});
        frame_size_ = run_.size() - before;
    }
}

Flooder::~Flooder() {
    stop();
}

void Flooder::start() {
    stop_ = false;
    thread_ = std::thread([this] { loop(); });
}

void Flooder::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void Flooder::loop() {
    const int ep = ::epoll_create1(EPOLL_CLOEXEC);
    std::vector<size_t> offset(fds_.size());
    std::vector<bool> open(fds_.size(), true);
    for (size_t i = 0; i < fds_.size(); ++i) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT;
        ev.data.u64 = i;
        ::epoll_ctl(ep, EPOLL_CTL_ADD, fds_[i], &ev);
    }
    std::vector<epoll_event> events(fds_.size() + 1);
    char sink[16384];
    const uint64_t t0 = now_ns();
    while (!stop_) {
        const int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 20);
        for (int k = 0; k < n; ++k) {
            const size_t i = events[k].data.u64;
            if (!open[i]) continue;
            bool lost = events[k].events & (EPOLLERR | EPOLLHUP);
            if (!lost && events[k].events & EPOLLIN) {
                const ssize_t got = ::recv(fds_[i], sink, sizeof sink, 0);
                lost = got == 0 || (got < 0 && errno != EAGAIN);
            }
            if (!lost && events[k].events & EPOLLOUT) {
                const ssize_t sent =
                    ::send(fds_[i], run_.data() + offset[i], run_.size() - offset[i], MSG_NOSIGNAL);
                if (sent > 0) {
                    bytes_ += static_cast<uint64_t>(sent);
                    offset[i] = (offset[i] + static_cast<size_t>(sent)) % run_.size();
                }
                lost = sent < 0 && errno != EAGAIN;
            }
            if (lost) {
                ::epoll_ctl(ep, EPOLL_CTL_DEL, fds_[i], nullptr);
                open[i] = false;
                ++closed_;
            }
        }
    }
    seconds_ = static_cast<double>(now_ns() - t0) / 1e9;
    ::close(ep);
}

}  // namespace blynk::bench
