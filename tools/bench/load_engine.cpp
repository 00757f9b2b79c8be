#include "tools/bench/load_engine.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <memory>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "tools/bench/clock.hpp"
#include "tools/bench/conn.hpp"

namespace blynk::bench {

namespace {

constexpr size_t kReadBuffer = 256 * 1024;
constexpr int kMaxEvents = 512;

struct Stream {
    size_t index = 0;  ///< global index, passed to the workload
    Conn* tx = nullptr;
    uint32_t receivers = 1;  ///< distinct receiving connections
    uint32_t arrivals = 0;   ///< deliveries since the last message completed at all receivers
    uint32_t outstanding = 0;
    uint64_t seq = 0;
    bool dead = false;
    // Send times of unanswered messages, oldest first (answers come back in order).
    std::vector<uint64_t> ring;
    size_t head = 0, tail = 0;
};

struct Window {
    uint64_t start, measure_from, measure_to, hard_end;
    bool measuring(uint64_t t) const { return t >= measure_from && t < measure_to; }
};

class LoadThread {
public:
    LoadThread(const std::vector<std::pair<size_t, StreamFds>>& streams, Workload& workload,
               const LoadConfig& config, double rate)
        : workload_(workload), config_(config), rate_(rate), buffer_(kReadBuffer) {
        ep_ = ::epoll_create1(EPOLL_CLOEXEC);
        if (ep_ < 0) throw std::runtime_error("epoll_create1 failed");
        const size_t ring = std::bit_ceil<size_t>(std::max(config.depth, config.max_outstanding));
        std::unordered_map<int, Conn*> by_fd;
        conns_.reserve(streams.size() * 2);
        streams_.resize(streams.size());
        for (size_t i = 0; i < streams.size(); ++i) {
            const auto& [index, fds] = streams[i];
            auto conn_for = [&](const Endpoint& e) {
                auto it = by_fd.find(e.fd);
                if (it != by_fd.end()) return it->second;
                conns_.push_back(std::make_unique<Conn>());
                Conn* c = conns_.back().get();
                c->fd = e.fd;
                c->ssl = e.ssl;
                c->wire = e.wire;
                c->stream = i;
                if (c->ssl) enable_moving_writes(c->ssl);
                epoll_event ev{};
                ev.events = EPOLLIN;
                ev.data.ptr = c;
                ::epoll_ctl(ep_, EPOLL_CTL_ADD, e.fd, &ev);
                by_fd[e.fd] = c;
                return c;
            };
            Stream& s = streams_[i];
            s.index = index;
            s.tx = conn_for(fds.tx);
            s.tx->tx = true;
            s.receivers = 0;
            for (const Endpoint& e : fds.rx) {
                Conn* c = conn_for(e);
                if (!c->rx) ++s.receivers;
                c->rx = true;
            }
            if (s.receivers == 0) throw std::invalid_argument("a stream without a receiver");
            if (workload_.release_on_ack()) s.ring.resize(ring);
        }
    }
    ~LoadThread() {
        // The fds belong to the caller; only the epoll set is ours.
        ::close(ep_);
    }
    LoadThread(const LoadThread&) = delete;
    LoadThread& operator=(const LoadThread&) = delete;

    void run(const Window& w);
    LoadStats& stats() { return stats_; }

private:
    void send(Stream& s, uint64_t sent_ns);
    void on_readable(Conn& c, uint64_t now);
    /// Parses `data` (after what `c` kept); false when the connection was dropped.
    bool consume(Conn& c, std::string_view data, uint64_t now);
    void handle(Conn& c, const Parsed& p, uint64_t now);
    void release(Stream& s, uint64_t now);
    void flush_dirty();
    void kill(Conn& c);

    Workload& workload_;
    LoadConfig config_;
    double rate_;
    int ep_ = -1;
    std::vector<std::unique_ptr<Conn>> conns_;
    std::vector<Stream> streams_;
    std::vector<Conn*> dirty_;
    std::vector<char> buffer_;
    Window w_{};
    bool sending_ = true;
    uint64_t in_flight_ = 0;
    LoadStats stats_;
};

void LoadThread::send(Stream& s, uint64_t sent_ns) {
    if (s.dead) return;
    Conn& c = *s.tx;
    if (!c.has_output()) dirty_.push_back(&c);
    workload_.append_request(c.out, s.index, s.seq++, sent_ns);
    if (!s.ring.empty()) {
        s.ring[s.tail] = sent_ns;
        s.tail = (s.tail + 1) & (s.ring.size() - 1);
    }
    ++s.outstanding;
    ++in_flight_;
    if (w_.measuring(sent_ns)) ++stats_.sent;
}

void LoadThread::release(Stream& s, uint64_t now) {
    if (s.outstanding == 0) return;  // an answer we did not ask for
    --s.outstanding;
    --in_flight_;
    ++stats_.total_completed;
    if (sending_ && rate_ == 0 && !s.dead) send(s, now);
}

void LoadThread::handle(Conn& c, const Parsed& p, uint64_t now) {
    Stream& s = streams_[c.stream];
    const bool on_ack = workload_.release_on_ack();
    switch (p.kind) {
        case Parsed::Kind::Ack:
        case Parsed::Kind::Error: {
            if (p.kind == Parsed::Kind::Error) {
                ++stats_.errors;
                ++stats_.error_codes[p.code];
            } else if (w_.measuring(now)) {
                ++stats_.acks;
            }
            if (on_ack && s.head != s.tail) {
                if (p.kind == Parsed::Kind::Ack && w_.measuring(now))
                    stats_.ack.record(now - s.ring[s.head]);
                s.head = (s.head + 1) & (s.ring.size() - 1);
            }
            if (on_ack || p.kind == Parsed::Kind::Error) release(s, now);
            break;
        }
        case Parsed::Kind::Delivery:
            if (w_.measuring(now)) {
                ++stats_.deliveries;
                stats_.delivery.record(now > p.sent_ns ? now - p.sent_ns : 0);
            }
            // Every receiver gets every message in order: one completes per `receivers`
            // arrivals.
            if (!on_ack && ++s.arrivals == s.receivers) {
                s.arrivals = 0;
                release(s, now);
            }
            break;
        default:
            break;
    }
}

void LoadThread::kill(Conn& c) {
    ::epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
    ++stats_.broken_conns;
    Stream& s = streams_[c.stream];
    if (!s.dead) {
        s.dead = true;
        in_flight_ -= s.outstanding;
        stats_.unfinished += s.outstanding;
        s.outstanding = 0;
    }
}

void LoadThread::on_readable(Conn& c, uint64_t now) {
    for (;;) {
        size_t got = 0;
        const IoStatus st = c.read(buffer_.data(), buffer_.size(), got);
        if (got > 0 && !consume(c, std::string_view(buffer_.data(), got), now)) return;
        if (st != IoStatus::Ok) {
            kill(c);
            return;
        }
        if (got < buffer_.size()) break;  // drained (TLS: OpenSSL holds nothing more either)
    }
    // A TLS write that waited for the peer's data (WANT_READ) is retried after a read.
    if (c.ssl && c.has_output()) dirty_.push_back(&c);
}

bool LoadThread::consume(Conn& c, std::string_view data, uint64_t now) {
    if (!c.in.empty()) {
        c.in.append(data);
        data = c.in;
    }
    size_t used = 0;
    for (;;) {
        const Parsed p = workload_.parse(data.substr(used), c.wire);
        if (p.kind == Parsed::Kind::NeedMore) break;
        if (p.kind == Parsed::Kind::Broken) {
            kill(c);
            return false;
        }
        used += p.consumed;
        handle(c, p, now);
    }
    if (c.in.empty()) {
        c.in.assign(data.substr(used));
    } else {
        c.in.erase(0, used);
    }
    return true;
}

void LoadThread::flush_dirty() {
    for (Conn* c : dirty_) {
        if (c->flush() == IoStatus::Error) {
            kill(*c);
            continue;
        }
        if (c->has_output() != c->want_out) {
            c->want_out = c->has_output();
            epoll_event ev{};
            ev.events = EPOLLIN | (c->want_out ? EPOLLOUT : 0u);
            ev.data.ptr = c;
            ::epoll_ctl(ep_, EPOLL_CTL_MOD, c->fd, &ev);
        }
    }
    dirty_.clear();
}

void LoadThread::run(const Window& w) {
    w_ = w;
    std::vector<epoll_event> events(kMaxEvents);
    const bool open_loop = rate_ > 0;
    const double interval_ns = open_loop ? 1e9 / rate_ : 0;
    uint64_t k = 0;
    uint64_t next_at = w.start;
    if (!open_loop) {
        for (auto& s : streams_)
            for (uint32_t i = 0; i < config_.depth; ++i)
                send(s, now_ns());
    }
    for (;;) {
        uint64_t now = now_ns();
        if (now >= w.hard_end) break;
        if (now >= w.measure_to) {
            sending_ = false;
            if (in_flight_ == 0) break;
        }
        if (open_loop && sending_) {
            while (next_at <= now) {
                Stream& s = streams_[k % streams_.size()];
                if (s.outstanding < config_.max_outstanding) {
                    send(s, next_at);
                } else if (!s.dead) {
                    ++stats_.skipped;
                }
                ++k;
                next_at = w.start + static_cast<uint64_t>(static_cast<double>(k) * interval_ns);
            }
        }
        flush_dirty();
        uint64_t wait_ns = 10'000'000;
        if (open_loop && sending_) wait_ns = std::min(wait_ns, next_at - std::min(next_at, now));
        const timespec ts{static_cast<time_t>(wait_ns / 1'000'000'000),
                          static_cast<long>(wait_ns % 1'000'000'000)};
        const int n = ::epoll_pwait2(ep_, events.data(), kMaxEvents, &ts, nullptr);
        if (n < 0 && errno != EINTR) break;
        now = now_ns();
        for (int i = 0; i < n; ++i) {
            Conn& c = *static_cast<Conn*>(events[i].data.ptr);
            if (streams_[c.stream].dead) continue;  // its other connection was dropped
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(c, now);
            if ((events[i].events & EPOLLOUT) && c.has_output()) dirty_.push_back(&c);
        }
    }
    for (auto& s : streams_)
        if (!s.dead) stats_.unfinished += s.outstanding;
    stats_.seconds = static_cast<double>(w.measure_to - w.measure_from) / 1e9;
}

}  // namespace

void LoadStats::merge(const LoadStats& o) {
    sent += o.sent;
    acks += o.acks;
    deliveries += o.deliveries;
    errors += o.errors;
    skipped += o.skipped;
    unfinished += o.unfinished;
    total_completed += o.total_completed;
    broken_conns += o.broken_conns;
    for (const auto& [code, n] : o.error_codes)
        error_codes[code] += n;
    delivery.merge(o.delivery);
    ack.merge(o.ack);
    seconds = std::max(seconds, o.seconds);
}

double LoadStats::completed_per_s() const {
    if (seconds <= 0) return 0;
    return static_cast<double>(deliveries ? deliveries : acks) / seconds;
}

LoadStats run_load(const std::vector<StreamFds>& streams, Workload& workload,
                   const LoadConfig& config, unsigned threads) {
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(streams.size())));
    std::vector<std::vector<std::pair<size_t, StreamFds>>> split(threads);
    for (size_t i = 0; i < streams.size(); ++i)
        split[i % threads].emplace_back(i, streams[i]);
    std::vector<std::unique_ptr<LoadThread>> engines;
    for (auto& part : split)
        engines.push_back(
            std::make_unique<LoadThread>(part, workload, config, config.rate / threads));
    Window w{};
    w.start = now_ns() + 1'000'000;  // a common start, after every thread exists
    w.measure_from = w.start + seconds_ns(config.warmup_s);
    w.measure_to = w.measure_from + seconds_ns(config.duration_s);
    w.hard_end = w.measure_to + seconds_ns(config.drain_s);
    std::vector<std::thread> pool;
    for (size_t i = 1; i < engines.size(); ++i)
        pool.emplace_back([&, i] { engines[i]->run(w); });
    engines[0]->run(w);
    for (auto& t : pool)
        t.join();
    LoadStats total;
    for (auto& e : engines)
        total.merge(e->stats());
    return total;
}

}  // namespace blynk::bench
