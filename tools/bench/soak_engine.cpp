#include "tools/bench/soak_engine.hpp"

#include <openssl/err.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <numeric>
#include <thread>

#include "common/proto/command.hpp"
#include "tools/bench/clock.hpp"
#include "tools/bench/conn.hpp"
#include "tools/bench/messages.hpp"
#include "tools/bench/net.hpp"
#include "tools/bench/ws_client.hpp"

namespace blynk::bench {

const char* transport_name(Transport t) {
    switch (t) {
        case Transport::Plain:
            return "plain";
        case Transport::Tls:
            return "TLS";
        case Transport::WebSocket:
            return "WebSocket";
    }
    return "?";
}

struct SoakEngine::Peer {
    Conn io;
    Transport transport = Transport::Plain;
    bool up = false;
    uint32_t events = 0;
    std::string ws_in;          ///< WebSocket: bytes not yet cut into messages
    std::deque<uint64_t> acks;  ///< device: send times of writes waiting for their 200
};

// Logs dropped devices in again on a thread of its own (login_storm, per transport), so that
// the load loop never waits for a handshake; what it logged in is collected by the loop.
class SoakEngine::Reconnector {
public:
    explicit Reconnector(const SoakConfig& c) : c_(c), thread_([this] { loop(); }) {}
    ~Reconnector() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        thread_.join();
        for (auto& [index, h] : done_)
            reset_connection(h.fd, h.ssl);
    }
    void request(size_t device) {
        {
            std::lock_guard lock(mutex_);
            pending_.push_back(device);
        }
        wake_.notify_all();
    }
    /// Devices logged in since the last call, and failures (reason → count).
    std::vector<std::pair<size_t, HeldConn>> take(std::map<std::string, uint64_t>& failures) {
        std::lock_guard lock(mutex_);
        for (const auto& [reason, n] : failures_)
            failures[reason] += n;
        failures_.clear();
        return std::exchange(done_, {});
    }
    /// True when nothing is waiting or in progress.
    bool idle() const {
        std::lock_guard lock(mutex_);
        return pending_.empty() && !busy_;
    }

private:
    void loop() {
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [this] { return stop_ || !pending_.empty(); });
            if (stop_) return;
            std::vector<size_t> batch(pending_.begin(), pending_.end());
            pending_.clear();
            busy_ = true;
            lock.unlock();
            std::vector<std::pair<size_t, HeldConn>> logged_in;
            std::map<std::string, size_t> failed;
            std::vector<size_t> retry;
            for (Transport t : {Transport::Plain, Transport::Tls, Transport::WebSocket})
                log_in(batch, t, logged_in, failed, retry);
            lock.lock();
            busy_ = false;
            done_.insert(done_.end(), logged_in.begin(), logged_in.end());
            for (const auto& [reason, n] : failed)
                failures_[reason] += n;
            // A failed login is tried again with the next batch (after a pause: the server may
            // be briefly out of something).
            pending_.insert(pending_.end(), retry.begin(), retry.end());
            if (!retry.empty()) wake_.wait_for(lock, std::chrono::milliseconds(200));
        }
    }

    void log_in(const std::vector<size_t>& batch, Transport t,
                std::vector<std::pair<size_t, HeldConn>>& out,
                std::map<std::string, size_t>& failed, std::vector<size_t>& retry) {
        std::vector<size_t> group;
        std::vector<std::string> tokens;
        for (size_t d : batch) {
            if (c_.devices[d].transport != t) continue;
            group.push_back(d);
            tokens.push_back(c_.devices[d].token);
        }
        if (group.empty()) return;
        StormConfig sc;
        sc.port = t == Transport::Tls ? c_.tls_port : c_.port;
        sc.tls = t == Transport::Tls ? c_.tls : nullptr;
        sc.websocket = t == Transport::WebSocket;
        sc.tokens = &tokens;
        sc.count = group.size();
        sc.concurrency = std::min<size_t>(group.size(), 32);
        sc.max_seconds = 30;
        sc.keep_open = true;
        StormResult r = run_storm(sc);
        std::vector<bool> ok(group.size());
        for (const HeldConn& h : r.held) {
            ok[h.index] = true;
            out.emplace_back(group[h.index], h);
        }
        for (const auto& [reason, n] : r.failures)
            failed[std::string(transport_name(t)) + ": " + reason] += n;
        for (size_t k = 0; k < group.size(); ++k)
            if (!ok[k]) retry.push_back(group[k]);
    }

    const SoakConfig& c_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<size_t> pending_;
    bool busy_ = false;
    bool stop_ = false;
    std::vector<std::pair<size_t, HeldConn>> done_;
    std::map<std::string, size_t> failures_;
    std::thread thread_;
};

SoakEngine::SoakEngine(SoakConfig config, std::vector<HeldConn> devices, std::vector<HeldConn> apps)
    : c_(std::move(config)), peers_(devices.size() + apps.size()), apps_(apps.size()) {
    ep_ = ::epoll_create1(EPOLL_CLOEXEC);
    for (size_t d = 0; d < devices.size(); ++d) {
        peers_[d].transport = c_.devices[d].transport;
        adopt(d, devices[d]);
    }
    for (size_t a = 0; a < apps.size(); ++a) {
        Peer& p = peers_[devices.size() + a];
        p.transport = Transport::Tls;
        p.io.wire = Wire::App;
        adopt(devices.size() + a, apps[a]);
    }
}

SoakEngine::~SoakEngine() {
    close_all();
    ::close(ep_);
}

void SoakEngine::adopt(size_t index, const HeldConn& h) {
    Peer& p = peers_[index];
    p.io.fd = h.fd;
    p.io.ssl = h.ssl;
    if (h.ssl) enable_moving_writes(h.ssl);
    p.io.in.clear();
    p.io.out.clear();
    p.io.out_head = 0;
    p.ws_in.clear();
    p.acks.clear();
    p.up = true;
    p.events = 0;
    want(index, EPOLLIN);
    // OpenSSL may already hold what followed the login answer: epoll would not say so.
    if (h.ssl && SSL_has_pending(h.ssl)) on_readable(index, now_ns());
}

void SoakEngine::drop(size_t index) {
    Peer& p = peers_[index];
    if (!p.up) return;
    ::epoll_ctl(ep_, EPOLL_CTL_DEL, p.io.fd, nullptr);
    reset_connection(p.io.fd, p.io.ssl);
    ERR_clear_error();
    s_.unanswered += p.acks.size();
    p.io.fd = -1;
    p.io.ssl = nullptr;
    p.up = false;
    p.events = 0;
}

void SoakEngine::lose(size_t index) {
    if (!peers_[index].up) return;
    ++s_.lost;
    drop(index);
    if (index < c_.devices.size()) lost_devices_.push_back(index);
}

void SoakEngine::want(size_t index, uint32_t events) {
    epoll_want(ep_, peers_[index].io.fd, index, peers_[index].events, events);
}

void SoakEngine::queue(size_t index, std::string_view frame) {
    Peer& p = peers_[index];
    if (p.transport == Transport::WebSocket) {
        append_ws_binary(p.io.out, frame);
    } else {
        p.io.out.append(frame);
    }
    flush(index);
}

void SoakEngine::flush(size_t index) {
    Peer& p = peers_[index];
    if (p.io.flush() == IoStatus::Error) return lose(index);
    want(index, p.io.has_output() ? EPOLLIN | EPOLLOUT : EPOLLIN);
}

void SoakEngine::send_device_write(size_t d, uint64_t sent_ns, size_t round) {
    std::string stamp;
    append_stamp(stamp, sent_ns, 16);
    const std::string pin = std::to_string(round % c_.pins);
    std::string frame;
    append_frame(frame, proto::cmd::kHardware, message_id(seq_++), {"vw", pin, stamp});
    peers_[d].acks.push_back(sent_ns);
    queue(d, frame);
}

void SoakEngine::send_app_write(size_t a, uint64_t sent_ns, size_t round) {
    std::string stamp;
    append_stamp(stamp, sent_ns, 16);
    // Pins above the devices' own: an app's value does not overwrite the device's.
    const std::string pin = std::to_string(c_.pins + round % c_.pins);
    std::string frame;
    append_frame(frame, proto::cmd::kHardware, message_id(seq_++), {"1-0", "vw", pin, stamp},
                 proto::Layout::App);
    queue(c_.devices.size() + a, frame);
}

void SoakEngine::on_message(size_t index, std::string_view bytes, uint64_t now) {
    Peer& p = peers_[index];
    const bool device = index < c_.devices.size();
    p.io.in.append(bytes);
    size_t at = 0;
    for (;;) {
        const Parsed m = parse_message(std::string_view(p.io.in).substr(at), p.io.wire);
        if (m.kind == Parsed::Kind::NeedMore) break;
        if (m.kind == Parsed::Kind::Broken) return lose(index);
        at += m.consumed;
        if (m.kind == Parsed::Kind::Error) ++s_.error_answers[m.code];
        if (device && (m.kind == Parsed::Kind::Ack || m.kind == Parsed::Kind::Error) &&
            !p.acks.empty()) {
            const uint64_t sent = p.acks.front();
            p.acks.pop_front();
            if (m.kind == Parsed::Kind::Ack && counting(sent)) s_.ack.record(now - sent);
        } else if (m.kind == Parsed::Kind::Delivery && counting(m.sent_ns)) {
            (device ? s_.to_device : s_.to_app).record(now - m.sent_ns);
        }
    }
    p.io.in.erase(0, at);
}

void SoakEngine::on_readable(size_t index, uint64_t now) {
    static thread_local std::vector<char> buf(64 * 1024);
    Peer& p = peers_[index];
    size_t got = 0;
    const IoStatus st = p.io.read(buf.data(), buf.size(), got);
    if (got > 0) {
        if (p.transport == Transport::WebSocket) {
            p.ws_in.append(buf.data(), got);
            size_t at = 0;
            for (;;) {
                const WsFrame f = parse_ws_frame(std::string_view(p.ws_in).substr(at));
                if (f.kind == WsFrame::Kind::NeedMore) break;
                if (f.kind == WsFrame::Kind::Broken) return lose(index);
                at += f.consumed;
                if (f.kind == WsFrame::Kind::Data) on_message(index, f.payload, now);
                if (!peers_[index].up) return;
            }
            p.ws_in.erase(0, at);
        } else {
            on_message(index, std::string_view(buf.data(), got), now);
        }
    }
    if (st != IoStatus::Ok) lose(index);
}

size_t SoakEngine::online() const {
    return static_cast<size_t>(
        std::count_if(peers_.begin(), peers_.end(), [](const Peer& p) { return p.up; }));
}

void SoakEngine::close_all() {
    for (size_t i = 0; i < peers_.size(); ++i)
        drop(i);
}

SoakStats SoakEngine::run(double settle_s) {
    const size_t devices = c_.devices.size();
    const uint64_t start = now_ns();
    measure_from_ = start + seconds_ns(c_.warmup_s);
    measure_to_ = measure_from_ + seconds_ns(c_.duration_s);
    const double device_rate = static_cast<double>(devices) / c_.device_interval_s;
    const double app_rate = static_cast<double>(apps_) / c_.app_interval_s;
    // Victims are spread over the fleet (and so over the transports, which are interleaved).
    size_t stride = 7919;
    while (devices > 1 && std::gcd(stride, devices) != 1)
        ++stride;
    uint64_t device_sent = 0, app_sent = 0, churned = 0, samples = 0;
    Reconnector reconnector(c_);
    std::vector<epoll_event> events(1024);
    auto collect = [&] {
        for (const auto& [d, h] : reconnector.take(s_.reconnect_failures)) {
            adopt(d, h);
            ++s_.reconnects;
        }
    };
    auto poll_once = [&](int timeout_ms) {
        const int n = ::epoll_wait(ep_, events.data(), static_cast<int>(events.size()), timeout_ms);
        const uint64_t now = now_ns();
        for (int k = 0; k < n; ++k) {
            const size_t i = events[k].data.u64;
            if (!peers_[i].up) continue;
            if (events[k].events & EPOLLOUT) flush(i);
            if (peers_[i].up && events[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                on_readable(i, now);
        }
    };
    auto sample = [&](uint64_t now) {
        while (c_.on_sample && static_cast<double>(now - start) / 1e9 >=
                                   static_cast<double>(samples) * c_.sample_every_s) {
            c_.on_sample(static_cast<double>(now - start) / 1e9, online());
            ++samples;
        }
    };
    for (uint64_t now = now_ns(); now < measure_to_; now = now_ns()) {
        // Write k is due at (k + 1) / rate: the loop sends it once that time has come.
        const double elapsed = static_cast<double>(now - start) / 1e9;
        for (; device_sent < static_cast<uint64_t>(elapsed * device_rate); ++device_sent) {
            const size_t d = device_sent % devices;
            const uint64_t intended =
                start + static_cast<uint64_t>(1e9 * (device_sent + 1) / device_rate);
            if (!peers_[d].up) {
                ++s_.skipped_writes;
                continue;
            }
            if (counting(intended)) ++s_.device_writes;
            send_device_write(d, intended, device_sent / devices);
        }
        for (; apps_ && app_sent < static_cast<uint64_t>(elapsed * app_rate); ++app_sent) {
            const size_t a = app_sent % apps_;
            const uint64_t intended =
                start + static_cast<uint64_t>(1e9 * (app_sent + 1) / app_rate);
            if (!peers_[devices + a].up) continue;
            if (counting(intended)) ++s_.app_writes;
            send_app_write(a, intended, app_sent / apps_);
        }
        for (; churned < static_cast<uint64_t>(elapsed * c_.churn_per_s); ++churned) {
            const size_t d = (churned * stride) % devices;
            if (!peers_[d].up) continue;
            drop(d);
            ++s_.dropped_by_bench;
            reconnector.request(d);
        }
        // Devices the server closed come back too (counted in `lost`).
        for (size_t d : std::exchange(lost_devices_, {}))
            reconnector.request(d);
        collect();
        sample(now);
        poll_once(5);
    }
    s_.seconds = c_.duration_s;
    // Churn is over: every device the bench dropped (or the server closed) comes back.
    lost_devices_.clear();
    for (size_t d = 0; d < devices; ++d)
        if (!peers_[d].up) reconnector.request(d);
    const uint64_t give_up = now_ns() + seconds_ns(120);
    while (!reconnector.idle() && now_ns() < give_up) {
        collect();
        sample(now_ns());
        poll_once(5);
    }
    collect();
    const uint64_t settled = now_ns() + seconds_ns(settle_s);
    while (now_ns() < settled) {
        sample(now_ns());
        poll_once(5);
    }
    return s_;
}

}  // namespace blynk::bench
