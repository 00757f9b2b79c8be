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
        // Without read-ahead OpenSSL reads every record's 5-byte header and then its body: two
        // read(2) per record. read_now() and has_buffered_input() deliver what it reads ahead.
        SSL_set_read_ahead(ssl_, 1);
    }
}

TlsSocket::TlsSocket(TlsSocket&& other) noexcept
    : socket_(std::move(other.socket_)),
      context_(std::move(other.context_)),
      ssl_(std::exchange(other.ssl_, nullptr)),
      drained_(other.drained_),
      read_again_(other.read_again_) {}

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
    auto* data = static_cast<unsigned char*>(buffer.data());
    std::size_t total = 0;
    read_again_ = false;
    drained_ = false;
    while (total < buffer.size()) {
        ERR_clear_error();
        std::size_t n = 0;
        const int result = ssl_ ? SSL_read_ex(ssl_, data + total, buffer.size() - total, &n) : 0;
        const Step step = classify(result, ec);
        if (step == Step::Done) {
            if (!ec) {
                total += n;
                // Nothing read ahead: stop here rather than try the socket for an EAGAIN (the
                // readiness wait that follows is re-armed and fires at once if it has more).
                if (SSL_has_pending(ssl_) != 1) return total;
                continue;
            }
            if (total == 0) return 0;
            // Deliver what came before the error first; the next call reports it (OpenSSL's
            // errors and the peer's close are sticky: the same read fails the same way again).
            read_again_ = true;
            ec = {};
            return total;
        }
        wait = step == Step::WaitRead ? Socket::wait_read : Socket::wait_write;
        if (total > 0) {
            // A read that must wait for the socket to be writable is reported by the next call,
            // which makes the caller wait for that, not for readability.
            drained_ = step == Step::WaitRead;
            read_again_ = !drained_;
            ec = {};
            return total;
        }
        drained_ = true;
        ec = boost::asio::error::would_block;
        return 0;
    }
    return total;  // full: has_buffered_input() tells whether OpenSSL holds more
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
