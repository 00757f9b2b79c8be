#pragma once
// A TLS stream that keeps almost nothing per idle connection: OpenSSL reads from and writes to
// the socket itself (no BIO pair, no 17 KiB staging buffers as in asio::ssl::stream), and with
// SSL_MODE_RELEASE_BUFFERS its record buffers are freed while the connection is idle. Non-blocking
// SSL calls; WANT_READ / WANT_WRITE wait for the socket's readiness. Meets Asio's AsyncReadStream
// and AsyncWriteStream requirements, so HTTP (Beast), WebSocket and hardware sessions run over it.
//
// Not thread-safe, like any Asio stream: one strand drives it (a read and a write may be
// outstanding at the same time; their SSL calls never overlap because handlers are serialised).

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <memory>
#include <utility>

#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include "server/net/socket.hpp"

namespace blynk::net {

class TlsSocket {
public:
    using executor_type = Socket::executor_type;
    using next_layer_type = Socket;
    using lowest_layer_type = Socket;

    /// A server-side TLS stream over `socket` (nothing of the ClientHello may have been read).
    TlsSocket(Socket socket, std::shared_ptr<boost::asio::ssl::context> ctx);
    TlsSocket(TlsSocket&& other) noexcept;
    TlsSocket& operator=(TlsSocket&&) = delete;
    ~TlsSocket();

    executor_type get_executor() { return socket_.get_executor(); }
    next_layer_type& next_layer() { return socket_; }
    lowest_layer_type& lowest_layer() { return socket_; }
    SSL* native_handle() { return ssl_; }

    /// Runs the server handshake; handler(error_code).
    template <class Token>
    auto async_handshake(Token&& token) {
        return boost::asio::async_compose<Token, void(boost::system::error_code)>(HandshakeOp{this},
                                                                                  token, socket_);
    }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
            TransferOp<MutableBuffers, true>{this, buffers}, token, socket_);
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
            TransferOp<ConstBuffers, false>{this, buffers}, token, socket_);
    }

    /// Reads what OpenSSL can decrypt now into `buffer`, without blocking: record after record
    /// until the socket has no more or the buffer is full. OpenSSL reads ahead (one read(2)
    /// takes what the socket holds, not a record's header and then its body), so it may keep
    /// bytes the socket's readiness will not announce again: when has_buffered_input() is true,
    /// call this again instead of waiting. On would_block, `wait` says what the socket must
    /// become first (writable, when OpenSSL has to answer something before it can read on).
    std::size_t read_now(boost::asio::mutable_buffer buffer, Socket::wait_type& wait,
                         boost::system::error_code& ec);

    /// True when a read may find input without the socket becoming readable: records OpenSSL
    /// read ahead but did not deliver (read_now() stopped at a full buffer, or another read
    /// took one record), or a result read_now() has not reported yet (an error, or a wait for
    /// writability, met after it had read data).
    bool has_buffered_input() const {
        return ssl_ && (read_again_ || (!drained_ && SSL_has_pending(ssl_) == 1));
    }

    /// Encrypts and sends all of `buffer` now if the socket takes it, without blocking: returns
    /// its size, or 0 with would_block when the socket is full (OpenSSL then expects the same
    /// bytes again, from any buffer: an asynchronous write of them follows).
    std::size_t write_now(boost::asio::const_buffer buffer, boost::system::error_code& ec);

    /// Sends close_notify if the socket takes it at once; never blocks.
    void shutdown_quietly();

private:
    enum class Step { Done, WaitRead, WaitWrite };

    /// Maps the result of an SSL call: what to wait for, or the final error (eof for a clean or
    /// an abrupt close by the peer).
    Step classify(int result, boost::system::error_code& ec);

    /// The common tail of every operation: complete (never inside the initiating call), or
    /// wait for the socket and run again.
    template <class Op, class Self, class... Result>
    void finish_or_wait(Op& state, Self& op, Step step, Result... result) {
        if (step == Step::Done) {
            if (state.started) return op.complete(result...);
            state.finished = true;
            return boost::asio::post(socket_.get_executor(), std::move(op));
        }
        state.started = true;
        socket_.async_wait(step == Step::WaitRead ? Socket::wait_read : Socket::wait_write,
                           std::move(op));
    }

    struct HandshakeOp {
        TlsSocket* self;
        bool started = false;
        bool finished = false;
        boost::system::error_code result{};
        template <class Self>
        void operator()(Self& op, boost::system::error_code ec = {}) {
            if (finished) return op.complete(result);
            if (ec) return op.complete(ec);
            ERR_clear_error();
            Step step = self->classify(SSL_do_handshake(self->ssl_), result);
            self->finish_or_wait(*this, op, step, result);
        }
    };

    template <class Buffers, bool kRead>
    struct TransferOp {
        TlsSocket* self;
        Buffers buffers;
        bool started = false;
        bool finished = false;
        boost::system::error_code result{};
        std::size_t transferred = 0;

        template <class Self>
        void operator()(Self& op, boost::system::error_code ec = {}) {
            if (finished) return op.complete(result, transferred);
            if (ec) return op.complete(ec, 0);
            // One buffer at a time: the first non-empty one.
            void* data = nullptr;
            std::size_t size = 0;
            for (auto b : boost::beast::buffers_range_ref(buffers)) {
                if (b.size() == 0) continue;
                data = const_cast<void*>(static_cast<const void*>(b.data()));
                size = b.size();
                break;
            }
            Step step = Step::Done;
            if (size > 0) {
                ERR_clear_error();
                int r = kRead ? SSL_read_ex(self->ssl_, data, size, &transferred)
                              : SSL_write_ex(self->ssl_, data, size, &transferred);
                step = self->classify(r, result);
                if constexpr (kRead) self->drained_ = step == Step::WaitRead;
            }
            self->finish_or_wait(*this, op, step, result, transferred);
        }
    };

    Socket socket_;
    std::shared_ptr<boost::asio::ssl::context> context_;  // the SSL keeps the SSL_CTX alive; this
                                                          // keeps asio's callbacks alive too
    SSL* ssl_ = nullptr;
    bool drained_ = false;     ///< the last read ended waiting for the socket
    bool read_again_ = false;  ///< read_now() returned data and has a result to report next
};

// Beast's WebSocket stream closes its next layer through these (found by ADL).
void teardown(boost::beast::role_type role, TlsSocket& stream, boost::system::error_code& ec);

template <class Handler>
void async_teardown(boost::beast::role_type, TlsSocket& stream, Handler&& handler) {
    boost::system::error_code ec;
    stream.shutdown_quietly();
    stream.next_layer().close(ec);
    boost::asio::post(stream.get_executor(),
                      [h = std::forward<Handler>(handler), ec]() mutable { h(ec); });
}

}  // namespace blynk::net
