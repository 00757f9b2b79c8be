#include "tools/bench/login_storm.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/proto/command.hpp"
#include "tools/bench/clock.hpp"
#include "tools/bench/messages.hpp"
#include "tools/bench/net.hpp"
#include "tools/bench/tls_client.hpp"
#include "tools/bench/ws_client.hpp"

namespace blynk::bench {

namespace {

constexpr std::string_view kLoginOk{"\x00\x00\x01\x00\xc8", 5};
constexpr std::string_view kAppLoginOk{"\x00\x00\x01\x00\x00\x00\xc8", 7};
// kLoginOk as the one binary WebSocket message the server sends it in.
constexpr std::string_view kWsLoginOk{"\x82\x05\x00\x00\x01\x00\xc8", 7};
// What the bench's apps say they are (LOGIN's os, version and app name).
constexpr std::string_view kAppOs = "android";
constexpr std::string_view kAppVersion = "2.27.32";
constexpr std::string_view kAppName = "Blynk";

enum class State { Idle, Connecting, Handshaking, Writing, Upgrading, Reading };

struct Slot {
    State state = State::Idle;
    int fd = -1;
    SSL* ssl = nullptr;
    size_t index = 0;
    uint64_t t0 = 0;
    uint64_t deadline = 0;
    uint32_t events = 0;
    std::string out;
    size_t out_head = 0;
    std::string in;
    std::string after_upgrade;  ///< WebSocket: the login, sent once the upgrade is answered
};

class Storm {
public:
    explicit Storm(const StormConfig& c) : c_(c), slots_(std::max<size_t>(1, c.concurrency)) {
        ep_ = ::epoll_create1(EPOLL_CLOEXEC);
    }
    ~Storm() { ::close(ep_); }
    Storm(const Storm&) = delete;
    Storm& operator=(const Storm&) = delete;

    StormResult run();

private:
    void start(size_t i);
    void step(size_t i);
    void fail(size_t i, const std::string& reason);
    void succeed(size_t i);
    void release(Slot& s, bool close_fd);
    void want(size_t i, uint32_t events);
    bool starting_allowed() const;

    const StormConfig& c_;
    std::vector<Slot> slots_;
    int ep_ = -1;
    uint64_t begin_ = 0;
    uint64_t last_ok_ = 0;
    StormResult r_;
};

bool Storm::starting_allowed() const {
    return r_.attempted < c_.count && now_ns() - begin_ < seconds_ns(c_.max_seconds);
}

void Storm::want(size_t i, uint32_t events) {
    epoll_want(ep_, slots_[i].fd, i, slots_[i].events, events);
}

void Storm::release(Slot& s, bool close_fd) {
    if (s.events) ::epoll_ctl(ep_, EPOLL_CTL_DEL, s.fd, nullptr);
    s.events = 0;
    if (close_fd) reset_connection(s.fd, s.ssl);
    s.ssl = nullptr;
    s.fd = -1;
    s.state = State::Idle;
}

void Storm::fail(size_t i, const std::string& reason) {
    ++r_.failed;
    ++r_.failures[reason];
    ERR_clear_error();
    release(slots_[i], true);
}

void Storm::succeed(size_t i) {
    Slot& s = slots_[i];
    const uint64_t now = now_ns();
    ++r_.ok;
    last_ok_ = now;
    r_.login.record(now - s.t0);
    if (s.ssl) {
        if (SSL_session_reused(s.ssl)) ++r_.reused;
        if (r_.tls_version.empty()) {
            r_.tls_version = SSL_get_version(s.ssl);
            r_.tls_cipher = SSL_get_cipher_name(s.ssl);
            if (X509* cert = SSL_get1_peer_certificate(s.ssl)) {
                const int id = EVP_PKEY_get_base_id(X509_get0_pubkey(cert));
                r_.tls_key = id == EVP_PKEY_EC ? "ECDSA" : id == EVP_PKEY_RSA ? "RSA" : "other";
                X509_free(cert);
            }
        }
        if (c_.save_sessions) {
            if (SSL_SESSION* sess = SSL_get1_session(s.ssl)) r_.sessions.push_back(sess);
        }
    }
    if (c_.keep_open) {
        r_.held.push_back(HeldConn{s.fd, s.ssl, s.index});
        release(s, false);
    } else {
        release(s, true);
    }
}

void Storm::start(size_t i) {
    while (starting_allowed()) {
        Slot& s = slots_[i];
        s = Slot{};
        s.index = r_.attempted++;
        s.t0 = now_ns();
        s.deadline = s.t0 + seconds_ns(c_.timeout_s);
        bool in_progress = false;
        s.fd = connect_loopback(c_.port, in_progress, s.index);
        if (s.fd < 0) {
            ++r_.failed;
            ++r_.failures[std::string("connect: ") + std::strerror(errno)];
            continue;
        }
        const std::string& token = (*c_.tokens)[s.index % c_.tokens->size()];
        if (c_.websocket) {
            append_ws_upgrade(s.out, kHardwareWsPath);
            std::string login;
            append_frame(login, proto::cmd::kHardwareLogin, 1, {token});
            append_ws_binary(s.after_upgrade, login);
        } else if (c_.app_hash.empty()) {
            append_frame(s.out, proto::cmd::kHardwareLogin, 1, {token});
        } else {
            append_frame(s.out, proto::cmd::kLogin, 1,
                         {token, c_.app_hash, kAppOs, kAppVersion, kAppName}, proto::Layout::App);
        }
        s.state = State::Connecting;
        if (in_progress) {
            want(i, EPOLLOUT);
        } else {
            step(i);
        }
        return;
    }
}

void Storm::step(size_t i) {
    Slot& s = slots_[i];
    for (;;) {
        switch (s.state) {
            case State::Idle:
                return;
            case State::Connecting: {
                if (const int err = socket_error(s.fd))
                    return fail(i, std::string("connect: ") + std::strerror(err));
                if (c_.tls) {
                    s.ssl = SSL_new(c_.tls);
                    SSL_set_fd(s.ssl, s.fd);
                    SSL_set_connect_state(s.ssl);
                    if (c_.resume && !c_.resume->empty())
                        SSL_set_session(s.ssl, (*c_.resume)[s.index % c_.resume->size()]);
                    s.state = State::Handshaking;
                } else {
                    if (!c_.login) return succeed(i);
                    s.state = State::Writing;
                }
                break;
            }
            case State::Handshaking: {
                const int rc = SSL_do_handshake(s.ssl);
                if (rc == 1) {
                    r_.handshake.record(now_ns() - s.t0);
                    if (!c_.login) return succeed(i);
                    s.state = State::Writing;
                    break;
                }
                const int e = SSL_get_error(s.ssl, rc);
                if (e == SSL_ERROR_WANT_READ) return want(i, EPOLLIN);
                if (e == SSL_ERROR_WANT_WRITE) return want(i, EPOLLOUT);
                return fail(i, "TLS handshake: " + ssl_errors());
            }
            case State::Writing: {
                const char* p = s.out.data() + s.out_head;
                const size_t n = s.out.size() - s.out_head;
                if (s.ssl) {
                    const int rc = SSL_write(s.ssl, p, static_cast<int>(n));
                    if (rc <= 0) {
                        const int e = SSL_get_error(s.ssl, rc);
                        if (e == SSL_ERROR_WANT_READ) return want(i, EPOLLIN);
                        if (e == SSL_ERROR_WANT_WRITE) return want(i, EPOLLOUT);
                        return fail(i, "TLS write: " + ssl_errors());
                    }
                    s.out_head += static_cast<size_t>(rc);
                } else {
                    const ssize_t rc = ::send(s.fd, p, n, MSG_NOSIGNAL);
                    if (rc < 0 && errno == EAGAIN) return want(i, EPOLLOUT);
                    if (rc < 0) return fail(i, std::string("send: ") + std::strerror(errno));
                    s.out_head += static_cast<size_t>(rc);
                }
                if (s.out_head == s.out.size())
                    s.state = s.after_upgrade.empty() ? State::Reading : State::Upgrading;
                break;
            }
            case State::Upgrading: {
                char buf[512];
                const ssize_t rc = ::recv(s.fd, buf, sizeof buf, 0);
                if (rc < 0 && errno == EAGAIN) return want(i, EPOLLIN);
                if (rc == 0) return fail(i, "closed by server");
                if (rc < 0) return fail(i, std::string("recv: ") + std::strerror(errno));
                s.in.append(buf, static_cast<size_t>(rc));
                const size_t head = ws_upgrade_head_size(s.in);
                if (head == 0) break;
                if (!ws_upgrade_accepted(s.in)) return fail(i, "WebSocket upgrade refused");
                s.in.erase(0, head);  // nothing follows until the login is sent
                s.out = std::move(s.after_upgrade);
                s.after_upgrade.clear();
                s.out_head = 0;
                s.state = State::Writing;
                break;
            }
            case State::Reading: {
                // Only the answer: what follows it belongs to whoever takes the connection over.
                const std::string_view ok = c_.websocket          ? kWsLoginOk
                                            : c_.app_hash.empty() ? kLoginOk
                                                                  : kAppLoginOk;
                char buf[16];
                const size_t missing = ok.size() - s.in.size();
                int got = 0;
                if (s.ssl) {
                    got = SSL_read(s.ssl, buf, static_cast<int>(missing));
                    if (got <= 0) {
                        const int e = SSL_get_error(s.ssl, got);
                        if (e == SSL_ERROR_WANT_READ) return want(i, EPOLLIN);
                        if (e == SSL_ERROR_WANT_WRITE) return want(i, EPOLLOUT);
                        return fail(i, e == SSL_ERROR_ZERO_RETURN ? "closed by server"
                                                                  : "TLS read: " + ssl_errors());
                    }
                } else {
                    const ssize_t rc = ::recv(s.fd, buf, missing, 0);
                    if (rc < 0 && errno == EAGAIN) return want(i, EPOLLIN);
                    if (rc == 0) return fail(i, "closed by server");
                    if (rc < 0) return fail(i, std::string("recv: ") + std::strerror(errno));
                    got = static_cast<int>(rc);
                }
                s.in.append(buf, static_cast<size_t>(got));
                if (s.in.size() < ok.size()) break;
                if (s.in != ok) {
                    const std::string_view frame =
                        c_.websocket ? parse_ws_frame(s.in).payload : std::string_view(s.in);
                    const Parsed answer =
                        parse_message(frame, c_.app_hash.empty() ? Wire::Hardware : Wire::App);
                    return fail(i, "login refused with status " + std::to_string(answer.code));
                }
                return succeed(i);
            }
        }
    }
}

StormResult Storm::run() {
    begin_ = now_ns();
    last_ok_ = begin_;
    for (size_t i = 0; i < slots_.size(); ++i)
        start(i);
    std::vector<epoll_event> events(slots_.size());
    const uint64_t hard_end = begin_ + seconds_ns(c_.max_seconds + c_.timeout_s + 1);
    for (;;) {
        bool busy = false;
        const uint64_t now = now_ns();
        for (size_t i = 0; i < slots_.size(); ++i) {
            if (slots_[i].state == State::Idle) {
                if (starting_allowed()) start(i);
            } else if (now > slots_[i].deadline) {
                fail(i, "timeout");
                start(i);
            }
            busy = busy || slots_[i].state != State::Idle;
        }
        if (!busy || now > hard_end) break;
        const int n = ::epoll_wait(ep_, events.data(), static_cast<int>(events.size()), 50);
        for (int k = 0; k < n; ++k) {
            const size_t i = events[k].data.u64;
            step(i);
            if (slots_[i].state == State::Idle) start(i);
        }
    }
    for (auto& s : slots_)
        if (s.state != State::Idle) fail(static_cast<size_t>(&s - slots_.data()), "unfinished");
    r_.seconds = static_cast<double>(last_ok_ - begin_) / 1e9;
    return std::move(r_);
}

}  // namespace

std::string StormResult::failure_summary() const {
    std::string out;
    for (const auto& [reason, n] : failures) {
        if (!out.empty()) out += "; ";
        out += reason + " ×" + std::to_string(n);
    }
    return out;
}

StormResult run_storm(const StormConfig& config) {
    Storm storm(config);
    return storm.run();
}

void close_held(std::vector<HeldConn>& held) {
    for (auto& h : held)
        reset_connection(h.fd, h.ssl);
    held.clear();
}

}  // namespace blynk::bench
