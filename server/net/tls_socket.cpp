#include "server/net/tls_socket.hpp"

#include <cerrno>

namespace blynk::net {

TlsSocket::TlsSocket(Socket socket, std::shared_ptr<boost::asio::ssl::context> ctx)
    : socket_(std::move(socket)), context_(std::move(ctx)) {
    ssl_ = SSL_new(context_->native_handle());
    boost::system::error_code ignored;
    socket_.non_blocking(true, ignored);
    if (ssl_) {
        SSL_set_fd(ssl_, static_cast<int>(socket_.native_handle()));
        SSL_set_accept_state(ssl_);
    }
}

TlsSocket::TlsSocket(TlsSocket&& other) noexcept
    : socket_(std::move(other.socket_)),
      context_(std::move(other.context_)),
      ssl_(std::exchange(other.ssl_, nullptr)) {}

TlsSocket::~TlsSocket() {
    if (ssl_) SSL_free(ssl_);
}

TlsSocket::Step TlsSocket::classify(int result, boost::system::error_code& ec) {
    ec = {};
    if (!ssl_) {
        ec = boost::asio::error::no_memory;
        return Step::Done;
    }
    if (result == 1) return Step::Done;
    switch (SSL_get_error(ssl_, result)) {
        case SSL_ERROR_WANT_READ:
            return Step::WaitRead;
        case SSL_ERROR_WANT_WRITE:
            return Step::WaitWrite;
        case SSL_ERROR_ZERO_RETURN:
            ec = boost::asio::error::eof;  // close_notify
            return Step::Done;
        case SSL_ERROR_SYSCALL: {
            // errno 0 / no queued error: the peer closed the TCP connection without close_notify.
            const int err = errno;
            if (ERR_peek_error() == 0 && (err == 0 || err == ECONNRESET || err == EPIPE)) {
                ec = err == 0 ? boost::asio::error::eof
                              : boost::system::error_code(err, boost::system::system_category());
            } else {
                ec = boost::system::error_code(static_cast<int>(ERR_get_error()),
                                               boost::asio::error::get_ssl_category());
            }
            return Step::Done;
        }
        default:
            ec = boost::system::error_code(static_cast<int>(ERR_get_error()),
                                           boost::asio::error::get_ssl_category());
            if (!ec) ec = boost::asio::error::fault;
            return Step::Done;
    }
}

std::size_t TlsSocket::read_now(boost::asio::mutable_buffer buffer, Socket::wait_type& wait,
                                boost::system::error_code& ec) {
    ERR_clear_error();
    std::size_t n = 0;
    const int result = ssl_ ? SSL_read_ex(ssl_, buffer.data(), buffer.size(), &n) : 0;
    switch (classify(result, ec)) {
        case Step::Done:
            return ec ? 0 : n;
        case Step::WaitRead:
            wait = Socket::wait_read;
            break;
        case Step::WaitWrite:
            wait = Socket::wait_write;
            break;
    }
    ec = boost::asio::error::would_block;
    return 0;
}

std::size_t TlsSocket::write_now(boost::asio::const_buffer buffer, boost::system::error_code& ec) {
    ERR_clear_error();
    std::size_t n = 0;
    const int result = ssl_ ? SSL_write_ex(ssl_, buffer.data(), buffer.size(), &n) : 0;
    if (classify(result, ec) == Step::Done) return ec ? 0 : n;
    ec = boost::asio::error::would_block;
    return 0;
}

void TlsSocket::shutdown_quietly() {
    if (!ssl_) return;
    ERR_clear_error();
    SSL_shutdown(ssl_);  // one non-blocking attempt: the socket closes right after
    ERR_clear_error();
}

void teardown(boost::beast::role_type, TlsSocket& stream, boost::system::error_code& ec) {
    stream.shutdown_quietly();
    stream.next_layer().close(ec);
}

}  // namespace blynk::net
