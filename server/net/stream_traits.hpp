#pragma once
// How a session writes to and reads from its stream. Byte streams (TCP, TLS) take any number of
// frames in one write; a WebSocket carries each frame in its own binary message (the Java
// server and node-red-contrib-blynk-ws expect one message per frame) and ignores text messages.

#include <type_traits>

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "server/net/socket.hpp"
#include "server/net/tls_socket.hpp"

namespace blynk::net {

template <class Stream>
struct StreamTraits {
    static constexpr bool kMessagePerFrame = false;
    /// An idle session can wait for the socket's readiness without a buffer, then read without
    /// blocking into the thread's scratch buffer with read_now().
    static constexpr bool kWaitRead =
        std::is_same_v<Stream, Socket> || std::is_same_v<Stream, TlsSocket>;
    /// The raw socket is non-blocking: a write is tried in place first, and only what the kernel
    /// does not take at once is left to an asynchronous write (for TLS: all of it, or none).
    static constexpr bool kWriteNow = kWaitRead;
    /// True when the bytes just read must be dropped.
    static bool discard_read(const Stream&) { return false; }
    template <class Handler>
    static void write(Stream& s, boost::asio::const_buffer bytes, Handler&& handler) {
        boost::asio::async_write(s, bytes, std::forward<Handler>(handler));
    }
    /// Writes what the socket takes now, without blocking (kWriteNow streams); would_block when
    /// it takes nothing.
    static size_t write_now(Stream& s, boost::asio::const_buffer bytes,
                            boost::system::error_code& ec) {
        if constexpr (std::is_same_v<Stream, TlsSocket>) {
            return s.write_now(bytes, ec);
        } else {
            return s.write_some(bytes, ec);
        }
    }
    /// True when read_now() may find input the socket's readiness will not announce (TLS
    /// records OpenSSL read ahead): read again before waiting.
    static bool has_buffered_input(const Stream& s) {
        if constexpr (std::is_same_v<Stream, TlsSocket>) {
            return s.has_buffered_input();
        } else {
            return false;
        }
    }
    /// Reads what is there without blocking (kWaitRead streams). On would_block, `wait` says
    /// what the socket must become before the next try.
    static size_t read_now(Stream& s, boost::asio::mutable_buffer buffer, Socket::wait_type& wait,
                           boost::system::error_code& ec) {
        if constexpr (std::is_same_v<Stream, TlsSocket>) {
            return s.read_now(buffer, wait, ec);
        } else {
            wait = Socket::wait_read;
            return s.read_some(buffer, ec);
        }
    }
};

template <class Next>
struct StreamTraits<boost::beast::websocket::stream<Next>> {
    using Stream = boost::beast::websocket::stream<Next>;
    static constexpr bool kMessagePerFrame = true;
    static constexpr bool kWaitRead = false;
    static constexpr bool kWriteNow = false;
    static bool discard_read(const Stream& s) { return s.got_text(); }
    /// True when the bytes read so far end a message (message-delimited layouts: /dashws).
    static bool message_done(const Stream& s) { return s.is_message_done(); }
    template <class Handler>
    static void write(Stream& s, boost::asio::const_buffer bytes, Handler&& handler) {
        s.async_write(bytes, std::forward<Handler>(handler));
    }
};

}  // namespace blynk::net
