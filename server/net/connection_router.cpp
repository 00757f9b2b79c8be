#include "server/net/connection_router.hpp"

#include <array>
#include <type_traits>

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>

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

void close_quietly(Socket& socket) {
    boost::system::error_code ignored;
    socket.shutdown(Socket::shutdown_both, ignored);
    socket.close(ignored);
}

/// Looks at the first bytes of a connection and hands it to the right place. On a raw socket the
/// bytes are only peeked (left in the kernel), so that OpenSSL or the session reads them itself
/// and nothing has to be replayed; inside TLS they are read and passed on.
template <class Stream>
class Sniffer final : public std::enable_shared_from_this<Sniffer<Stream>>,
                      private LiveConnections::Member {
public:
    Sniffer(const RouterConfig& config, Stream stream, Layer layer, std::string peer)
        : config_(config),
          stream_(std::move(stream)),
          strand_(boost::asio::make_strand(config.io)),
          timer_(config.io),
          retry_(config.io),
          layer_(layer),
          peer_(std::move(peer)) {}

    ~Sniffer() { live_connections().remove(this); }

    void start() {
        live_connections().add(std::shared_ptr<LiveConnections::Member>(
            this->shared_from_this(), static_cast<LiveConnections::Member*>(this)));
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
    /// A short first packet: look again after this long (a readable socket would wake at once).
    static constexpr std::chrono::milliseconds kPeekRetry{5};

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
        if (!peek_ec && n == 0) peek_ec = boost::asio::error::eof;
        on_bytes(peek_ec, n);
    }

    void on_bytes(boost::system::error_code ec, size_t total) {
        if (done_) return;  // the deadline closed the socket
        if (ec) {
            done_ = true;
            timer_.cancel();
            spdlog::debug("{} {} closed before it said anything: {}", transport(), peer_,
                          ec.message());
            close_quietly(socket());
            return;
        }
        const bool grew = total > size_;
        size_ = total;
        auto detected = detect(bytes(), layer_);
        if (detected == Detected::NeedMore && size_ < kMaxDetectBytes) {
            if (kRaw && !grew) {
                retry_.expires_after(kPeekRetry);
                retry_.async_wait(boost::asio::bind_executor(
                    strand_, [self = this->shared_from_this()](boost::system::error_code e) {
                        if (!e && !self->done_) self->read();
                    }));
            } else {
                read();
            }
            return;
        }
        done_ = true;
        timer_.cancel();
        dispatch(detected);
    }

    void give_up(const char* what) {
        done_ = true;
        retry_.cancel();
        spdlog::info("{} {}: {} within {} s ({} byte(s): {}); closing", transport(), peer_, what,
                     config_.detect_timeout.count(), size_, hex_prefix(bytes()));
        close_quietly(socket());
    }

    void dispatch(Detected detected) {
        switch (detected) {
            case Detected::Hardware:
                std::make_shared<FramedSession<Stream, HardwareProtocol>>(
                    std::move(stream_), strand_, config_.hardware, peer_, transport())
                    ->start(consumed());
                return;
            case Detected::App:
                std::make_shared<FramedSession<Stream, AppProtocol>>(
                    std::move(stream_), strand_, config_.app, peer_, transport())
                    ->start(consumed());
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
                        ->start();
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
        retry_.cancel();
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
    boost::asio::steady_timer retry_;  // the next peek at a short first packet
    Layer layer_;
    std::string peer_;
    std::array<uint8_t, 512> buffer_{};
    size_t size_ = 0;
    bool done_ = false;
    std::string response_;
};

/// A TLS handshake in progress, with its deadline and its slot in the per-address cap.
class TlsHandshake final : public std::enable_shared_from_this<TlsHandshake>,
                           private LiveConnections::Member {
public:
    TlsHandshake(const RouterConfig& config, Socket socket, std::string peer, std::string address)
        : config_(config),
          stream_(std::move(socket), config.tls.current()),
          strand_(boost::asio::make_strand(config.io)),
          timer_(config.io),
          peer_(std::move(peer)),
          address_(std::move(address)) {}

    ~TlsHandshake() {
        config_.handshakes.release(address_);
        live_connections().remove(this);
    }

    void start() {
        live_connections().add(std::shared_ptr<LiveConnections::Member>(
            shared_from_this(), static_cast<LiveConnections::Member*>(this)));
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
        if (ec) {
            spdlog::info("tls {}: handshake failed: {}", peer_, ec.message());
            close_quietly(stream_.next_layer());
            return;
        }
        std::make_shared<Sniffer<TlsSocket>>(config_, std::move(stream_), Layer::InsideTls, peer_)
            ->start();
    }

    const RouterConfig& config_;
    TlsSocket stream_;
    hub::UserExecutor strand_;
    boost::asio::steady_timer timer_;
    std::string peer_;
    std::string address_;
    bool done_ = false;
};

template <class Stream>
void Sniffer<Stream>::start_tls() {
    boost::system::error_code ec;
    std::string address = socket().remote_endpoint(ec).address().to_string();
    if (!config_.handshakes.try_acquire(address)) {
        spdlog::warn("tls {}: too many unfinished TLS handshakes from {}; closing", peer_, address);
        close_quietly(socket());
        return;
    }
    std::make_shared<TlsHandshake>(config_, std::move(stream_), peer_, std::move(address))->start();
}

}  // namespace

void route_connection(const RouterConfig& config, Socket socket, Layer port) {
    boost::system::error_code ec;
    auto remote = socket.remote_endpoint(ec);
    std::string peer =
        ec ? "unknown peer" : remote.address().to_string() + ":" + std::to_string(remote.port());
    std::make_shared<Sniffer<Socket>>(config, std::move(socket), port, std::move(peer))->start();
}

}  // namespace blynk::net
