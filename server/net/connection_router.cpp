#include "server/net/connection_router.hpp"

#include <array>
#include <type_traits>

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>

#include "common/util/log_throttle.hpp"
#include "server/http/http_session.hpp"
#include "server/net/live_connections.hpp"
#include "server/net/tls_socket.hpp"

namespace blynk::net {
namespace {

using tcp = boost::asio::ip::tcp;

std::string hex_prefix(std::span<const uint8_t> bytes) {
    std::string out;
    char buf[4];
    for (size_t i = 0; i < bytes.size() && i < kMaxDetectBytes; ++i) {
        std::snprintf(buf, sizeof buf, i ? " %02x" : "%02x", bytes[i]);
        out += buf;
    }
    return out;
}

/// Refusals by a per-address cap are logged at most this often: a flood would log each one.
constexpr std::chrono::seconds kRefusalLogInterval{10};

std::string address_of(const Socket& socket) {
    boost::system::error_code ec;
    return socket.remote_endpoint(ec).address().to_string();
}

void close_quietly(Socket& socket) {
    boost::system::error_code ignored;
    socket.shutdown(Socket::shutdown_both, ignored);
    socket.close(ignored);
}

/// Looks at the first bytes of a connection and hands it to the right place. On a raw socket the
/// bytes are only peeked (left in the kernel), so that OpenSSL or the session reads them itself
/// and nothing has to be replayed; inside TLS they are read and passed on. The connection's
/// place in the per-address cap on unfinished connections goes along to its session.
template <class Stream>
class Sniffer final : public std::enable_shared_from_this<Sniffer<Stream>>,
                      private LiveConnections::Member {
public:
    Sniffer(const RouterConfig& config, Stream stream, Layer layer, std::string peer,
            AddressLimiter::Slot prelogin)
        : config_(config),
          stream_(std::move(stream)),
          strand_(boost::asio::make_strand(config.io)),
          timer_(config.io),
          layer_(layer),
          peer_(std::move(peer)),
          prelogin_(std::move(prelogin)) {}

    void start() {
        this->join_live_connections(this->shared_from_this());
        if constexpr (kRaw) {
            boost::system::error_code ignored;
            stream_.non_blocking(true, ignored);
        }
        timer_.expires_after(config_.detect_timeout);
        timer_.async_wait(boost::asio::bind_executor(
            strand_, [self = this->shared_from_this()](boost::system::error_code ec) {
                if (!ec && !self->done_) self->give_up("no protocol detected");
            }));
        read();
    }

private:
    static constexpr bool kRaw = std::is_same_v<Stream, Socket>;

    Socket& socket() { return boost::beast::get_lowest_layer(stream_); }
    const char* transport() const { return kRaw ? "tcp" : "tls"; }
    std::span<const uint8_t> bytes() const { return {buffer_.data(), size_}; }
    /// What the next owner of the stream must not read again.
    std::string_view consumed() const {
        if constexpr (kRaw) return {};
        return {reinterpret_cast<const char*>(buffer_.data()), size_};
    }

    void read() {
        if constexpr (kRaw) {
            stream_.async_wait(
                Socket::wait_read,
                boost::asio::bind_executor(
                    strand_, [self = this->shared_from_this()](boost::system::error_code ec) {
                        self->on_readable(ec);
                    }));
        } else {
            stream_.async_read_some(
                boost::asio::buffer(buffer_.data() + size_, buffer_.size() - size_),
                boost::asio::bind_executor(strand_, [self = this->shared_from_this()](
                                                        boost::system::error_code ec, size_t n) {
                    self->on_bytes(ec, self->size_ + n);
                }));
        }
    }

    void on_readable(boost::system::error_code ec) {
        if (done_) return;
        if (ec) return on_bytes(ec, size_);
        boost::system::error_code peek_ec;
        size_t n = stream_.receive(boost::asio::buffer(buffer_), Socket::message_peek, peek_ec);
        if (peek_ec == boost::asio::error::would_block) return read();
        // With the low-water mark above what is there, only the peer's end (or an error) wakes
        // the wait without new bytes: what it sent is all there will be.
        if (!peek_ec && n <= size_) peek_ec = boost::asio::error::eof;
        on_bytes(peek_ec, n);
    }

    /// A short first packet stays in the kernel (it is only peeked), so the socket stays
    /// readable: the next wait wakes only once more than `size_` bytes are there (or at the
    /// peer's end), instead of at once, again and again, until the deadline.
    bool wait_for_more() {
        boost::system::error_code ec;
        stream_.set_option(Socket::receive_low_watermark(static_cast<int>(size_ + 1)), ec);
        if (ec) {
            done_ = true;
            timer_.cancel();
            spdlog::warn("tcp {}: cannot wait for more first bytes: {}; closing", peer_,
                         ec.message());
            close_quietly(socket());
            return false;
        }
        low_watermark_raised_ = true;
        return true;
    }

    /// The session (or OpenSSL) waits for readiness itself: from any byte on again.
    void restore_low_watermark() {
        if (!low_watermark_raised_) return;
        boost::system::error_code ignored;
        stream_.set_option(Socket::receive_low_watermark(1), ignored);
    }

    void on_bytes(boost::system::error_code ec, size_t total) {
        if (done_) return;  // the deadline closed the socket
        if (ec) {
            done_ = true;
            timer_.cancel();
            spdlog::debug("{} {} closed before its protocol was known ({} byte(s)): {}",
                          transport(), peer_, size_, ec.message());
            close_quietly(socket());
            return;
        }
        size_ = total;
        auto detected = detect(bytes(), layer_);
        if (detected == Detected::NeedMore && size_ < kMaxDetectBytes) {
            if constexpr (kRaw) {
                if (!wait_for_more()) return;
            }
            read();
            return;
        }
        done_ = true;
        timer_.cancel();
        if constexpr (kRaw) restore_low_watermark();
        dispatch(detected);
    }

    void give_up(const char* what) {
        done_ = true;
        spdlog::info("{} {}: {} within {} s ({} byte(s): {}); closing", transport(), peer_, what,
                     config_.detect_timeout.count(), size_, hex_prefix(bytes()));
        close_quietly(socket());
    }

    void dispatch(Detected detected) {
        switch (detected) {
            case Detected::Hardware:
                std::make_shared<FramedSession<Stream, HardwareProtocol>>(
                    std::move(stream_), strand_, config_.hardware, peer_, transport())
                    ->start(consumed(), std::move(prelogin_));
                return;
            case Detected::App:
                std::make_shared<FramedSession<Stream, AppProtocol>>(
                    std::move(stream_), strand_, config_.app, peer_, transport())
                    ->start(consumed(), std::move(prelogin_));
                return;
            case Detected::Tls:
                if constexpr (kRaw) {
                    start_tls();
                    return;
                }
                break;
            case Detected::Http:
                if (layer_ == Layer::TlsPort) {
                    refuse_plain_http();
                } else {
                    std::make_shared<http::HttpSession<Stream>>(
                        config_, std::move(stream_), strand_, peer_, transport(), consumed())
                        ->start(std::move(prelogin_));
                }
                return;
            default:
                break;
        }
        spdlog::info("{} {}: unrecognised first bytes {} on the {} port; closing", transport(),
                     peer_, hex_prefix(bytes()), layer_ == Layer::TlsPort ? "TLS" : "plain");
        close_quietly(socket());
    }

    void start_tls();

    LiveConnections::Stage close_for_shutdown() override {
        done_ = true;
        timer_.cancel();
        close_quietly(socket());
        return LiveConnections::Stage::Unfinished;
    }

    /// Plain HTTP on the TLS port: a clear answer, then close.
    void refuse_plain_http() {
        // Read what was only peeked: closing with unread data would reset the connection and
        // could destroy the answer before the client reads it.
        boost::system::error_code ignored;
        if constexpr (kRaw) stream_.receive(boost::asio::buffer(buffer_), 0, ignored);
        static constexpr std::string_view kText = "this port expects TLS: use https://\n";
        response_ =
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: "
            "close\r\nContent-Length: " +
            std::to_string(kText.size()) + "\r\n\r\n" + std::string(kText);
        spdlog::info("{} {}: HTTP request answered 400 (plain HTTP on the TLS port)", transport(),
                     peer_);
        boost::asio::async_write(
            stream_, boost::asio::buffer(response_),
            boost::asio::bind_executor(
                strand_, [self = this->shared_from_this()](boost::system::error_code, size_t) {
                    close_quietly(self->socket());
                }));
    }

    const RouterConfig& config_;
    Stream stream_;
    hub::UserExecutor strand_;
    boost::asio::steady_timer timer_;  // the detection deadline
    Layer layer_;
    std::string peer_;
    AddressLimiter::Slot prelogin_;
    std::array<uint8_t, 512> buffer_{};
    size_t size_ = 0;
    bool done_ = false;
    bool low_watermark_raised_ = false;
    std::string response_;
};

/// A TLS handshake in progress, with its deadline and its place in the per-address cap on
/// handshakes (and, for after it, the one on unfinished connections).
class TlsHandshake final : public std::enable_shared_from_this<TlsHandshake>,
                           private LiveConnections::Member {
public:
    TlsHandshake(const RouterConfig& config, Socket socket, std::string peer,
                 AddressLimiter::Slot handshake, AddressLimiter::Slot prelogin)
        : config_(config),
          stream_(std::move(socket), config.tls.current()),
          strand_(boost::asio::make_strand(config.io)),
          timer_(config.io),
          peer_(std::move(peer)),
          handshake_(std::move(handshake)),
          prelogin_(std::move(prelogin)) {}

    void start() {
        join_live_connections(shared_from_this());
        timer_.expires_after(config_.handshake_timeout);
        timer_.async_wait(boost::asio::bind_executor(
            strand_, [self = shared_from_this()](boost::system::error_code ec) {
                if (ec || self->done_) return;
                self->done_ = true;
                hub::count_tls_handshake(false);
                spdlog::info("tls {}: handshake not finished within {} s; closing", self->peer_,
                             self->config_.handshake_timeout.count());
                close_quietly(self->stream_.next_layer());
            }));
        stream_.async_handshake(boost::asio::bind_executor(
            strand_,
            [self = shared_from_this()](boost::system::error_code ec) { self->on_handshake(ec); }));
    }

private:
    LiveConnections::Stage close_for_shutdown() override {
        done_ = true;
        timer_.cancel();
        close_quietly(stream_.next_layer());
        return LiveConnections::Stage::Unfinished;
    }

    void on_handshake(boost::system::error_code ec) {
        if (done_) return;
        done_ = true;
        timer_.cancel();
        hub::count_tls_handshake(!ec);
        handshake_.release();
        if (ec) {
            spdlog::info("tls {}: handshake failed: {}", peer_, ec.message());
            close_quietly(stream_.next_layer());
            return;
        }
        std::make_shared<Sniffer<TlsSocket>>(config_, std::move(stream_), Layer::InsideTls, peer_,
                                             std::move(prelogin_))
            ->start();
    }

    const RouterConfig& config_;
    TlsSocket stream_;
    hub::UserExecutor strand_;
    boost::asio::steady_timer timer_;
    std::string peer_;
    AddressLimiter::Slot handshake_;
    AddressLimiter::Slot prelogin_;
    bool done_ = false;
};

/// Closes a connection its address may not open now; says so once per interval.
void refuse(Socket& socket, const std::string& peer, util::LogThrottle& throttle, const char* what,
            const AddressLimiter& limiter, const char* key) {
    if (auto held_back = throttle.admit()) {
        spdlog::warn(
            "{}: too many {} from {} ({}={}); closing ({} more refused since the last "
            "report)",
            peer, what, address_of(socket), key, limiter.per_address(), *held_back);
    }
    close_quietly(socket);
}

template <class Stream>
void Sniffer<Stream>::start_tls() {
    auto handshake = config_.handshakes.try_acquire(address_of(socket()));
    if (!handshake) {
        static util::LogThrottle throttle(kRefusalLogInterval);
        refuse(socket(), "tls " + peer_, throttle, "unfinished TLS handshakes", config_.handshakes,
               "tls.handshake.per.ip.limit");
        return;
    }
    std::make_shared<TlsHandshake>(config_, std::move(stream_), peer_, std::move(handshake),
                                   std::move(prelogin_))
        ->start();
}

}  // namespace

void route_connection(const RouterConfig& config, Socket socket, Layer port) {
    boost::system::error_code ec;
    auto remote = socket.remote_endpoint(ec);
    std::string peer =
        ec ? "unknown peer" : remote.address().to_string() + ":" + std::to_string(remote.port());
    auto prelogin = config.prelogin.try_acquire(ec ? std::string() : remote.address().to_string());
    if (!prelogin) {
        static util::LogThrottle throttle(kRefusalLogInterval);
        refuse(socket, "tcp " + peer, throttle, "unfinished connections", config.prelogin,
               "prelogin.per.ip.limit");
        return;
    }
    std::make_shared<Sniffer<Socket>>(config, std::move(socket), port, std::move(peer),
                                      std::move(prelogin))
        ->start();
}

}  // namespace blynk::net
