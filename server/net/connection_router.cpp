#include "server/net/connection_router.hpp"

#include "server/http/http_session.hpp"

#include <array>
#include <type_traits>

#include <spdlog/spdlog.h>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

namespace blynk::net {
namespace {

using tcp = boost::asio::ip::tcp;
namespace ssl = boost::asio::ssl;
using TlsStream = ssl::stream<tcp::socket>;
using Clock = std::chrono::steady_clock;

std::string hex_prefix(std::span<const uint8_t> bytes) {
    std::string out;
    char buf[4];
    for (size_t i = 0; i < bytes.size() && i < kMaxDetectBytes; ++i) {
        std::snprintf(buf, sizeof buf, i ? " %02x" : "%02x", bytes[i]);
        out += buf;
    }
    return out;
}

void close_quietly(tcp::socket& socket) {
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
}

/// Reads the first bytes of a connection (plain or decrypted) and hands it to the right place.
template <class Stream>
class Sniffer : public std::enable_shared_from_this<Sniffer<Stream>> {
public:
    Sniffer(const RouterConfig& config, Stream stream, Layer layer, std::string peer,
            std::shared_ptr<ssl::context> tls_context)
        : config_(config),
          stream_(std::move(stream)),
          strand_(boost::asio::make_strand(config.io)),
          timer_(config.io),
          layer_(layer),
          peer_(std::move(peer)),
          tls_context_(std::move(tls_context)) {}

    void start() {
        timer_.expires_after(config_.detect_timeout);
        timer_.async_wait(boost::asio::bind_executor(
            strand_, [self = this->shared_from_this()](boost::system::error_code ec) {
                if (!ec && !self->done_) self->give_up("no data");
            }));
        read();
    }

private:
    static constexpr bool kRaw = std::is_same_v<Stream, tcp::socket>;

    tcp::socket& socket() { return boost::beast::get_lowest_layer(stream_); }
    const char* transport() const { return kRaw ? "tcp" : "tls"; }

    void read() {
        stream_.async_read_some(
            boost::asio::buffer(buffer_.data() + size_, buffer_.size() - size_),
            boost::asio::bind_executor(
                strand_, [self = this->shared_from_this()](boost::system::error_code ec, size_t n) {
                    self->on_read(ec, n);
                }));
    }

    void on_read(boost::system::error_code ec, size_t n) {
        if (done_) return;  // the deadline closed the socket
        if (ec) {
            done_ = true;
            timer_.cancel();
            spdlog::debug("{} {} closed before it said anything: {}", transport(), peer_,
                          ec.message());
            close_quietly(socket());
            return;
        }
        size_ += n;
        auto detected = detect(bytes(), layer_);
        if (detected == Detected::NeedMore && size_ < kMaxDetectBytes) {
            read();
            return;
        }
        done_ = true;
        timer_.cancel();
        dispatch(detected);
    }

    std::span<const uint8_t> bytes() const { return {buffer_.data(), size_}; }

    void give_up(const char* what) {
        done_ = true;
        spdlog::info("{} {}: {} within {} s ({} byte(s): {}); closing", transport(), peer_, what,
                     config_.detect_timeout.count(), size_, hex_prefix(bytes()));
        close_quietly(socket());
    }

    void dispatch(Detected detected) {
        switch (detected) {
            case Detected::Hardware:
                start_hardware();
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
                        config_, std::move(stream_), strand_, peer_, transport(),
                        std::string_view(reinterpret_cast<const char*>(buffer_.data()), size_),
                        std::move(tls_context_))
                        ->start();
                }
                return;
            case Detected::App:
                spdlog::info("{} {}: mobile-app protocol is not supported yet; closing",
                             transport(), peer_);
                close_quietly(socket());
                return;
            default:
                break;
        }
        spdlog::info("{} {}: unrecognised first bytes {} on the {} port; closing", transport(),
                     peer_, hex_prefix(bytes()), layer_ == Layer::TlsPort ? "TLS" : "plain");
        close_quietly(socket());
    }

    void start_hardware() {
        auto session = std::make_shared<HardwareSession<Stream>>(
            std::move(stream_), strand_, config_.dispatcher, config_.options, config_.limits, peer_,
            transport());
        session->keep_alive(std::move(tls_context_));
        session->start(std::string_view(reinterpret_cast<const char*>(buffer_.data()), size_));
    }

    void start_tls();

    /// Plain HTTP on the TLS port: a clear answer, then close.
    void refuse_plain_http() {
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
    boost::asio::steady_timer timer_;
    Layer layer_;
    std::string peer_;
    std::shared_ptr<ssl::context> tls_context_;  // keeps the context of a TLS stream alive
    std::array<uint8_t, 512> buffer_{};
    size_t size_ = 0;
    bool done_ = false;
    std::string response_;
};

/// A TLS handshake in progress, with its deadline and its slot in the per-address cap.
class TlsHandshake : public std::enable_shared_from_this<TlsHandshake> {
public:
    TlsHandshake(const RouterConfig& config, tcp::socket socket, std::string peer,
                 std::string address, std::span<const uint8_t> already_read)
        : config_(config),
          context_(config.tls.current()),
          stream_(std::move(socket), *context_),
          strand_(boost::asio::make_strand(config.io)),
          timer_(config.io),
          peer_(std::move(peer)),
          address_(std::move(address)),
          already_read_(already_read.begin(), already_read.end()) {}

    ~TlsHandshake() { config_.handshakes.release(address_); }

    void start() {
        timer_.expires_after(config_.handshake_timeout);
        timer_.async_wait(boost::asio::bind_executor(
            strand_, [self = shared_from_this()](boost::system::error_code ec) {
                if (ec || self->done_) return;
                self->done_ = true;
                spdlog::info("tls {}: handshake not finished within {} s; closing", self->peer_,
                             self->config_.handshake_timeout.count());
                close_quietly(self->stream_.next_layer());
            }));
        // The bytes read while detecting are the start of the ClientHello: hand them to OpenSSL.
        stream_.async_handshake(
            ssl::stream_base::server, boost::asio::buffer(already_read_),
            boost::asio::bind_executor(
                strand_, [self = shared_from_this()](boost::system::error_code ec, size_t) {
                    self->on_handshake(ec);
                }));
    }

private:
    void on_handshake(boost::system::error_code ec) {
        if (done_) return;
        done_ = true;
        timer_.cancel();
        if (ec) {
            spdlog::info("tls {}: handshake failed: {}", peer_, ec.message());
            close_quietly(stream_.next_layer());
            return;
        }
        std::make_shared<Sniffer<TlsStream>>(config_, std::move(stream_), Layer::InsideTls, peer_,
                                             context_)
            ->start();
    }

    const RouterConfig& config_;
    std::shared_ptr<ssl::context> context_;
    TlsStream stream_;
    hub::UserExecutor strand_;
    boost::asio::steady_timer timer_;
    std::string peer_;
    std::string address_;
    std::vector<uint8_t> already_read_;
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
    std::make_shared<TlsHandshake>(config_, std::move(stream_), peer_, std::move(address), bytes())
        ->start();
}

}  // namespace

void route_connection(const RouterConfig& config, tcp::socket socket, Layer port) {
    boost::system::error_code ec;
    auto remote = socket.remote_endpoint(ec);
    std::string peer =
        ec ? "unknown peer" : remote.address().to_string() + ":" + std::to_string(remote.port());
    std::make_shared<Sniffer<tcp::socket>>(config, std::move(socket), port, std::move(peer),
                                           nullptr)
        ->start();
}

}  // namespace blynk::net
