#include "tools/bench/conn.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>

namespace blynk::bench {

namespace {

// What a failed SSL_read / SSL_write means for the engine: Ok = wait for readiness.
IoStatus ssl_status(SSL* ssl, int rc) {
    switch (SSL_get_error(ssl, rc)) {
        case SSL_ERROR_WANT_READ:
        case SSL_ERROR_WANT_WRITE:
            return IoStatus::Ok;
        case SSL_ERROR_ZERO_RETURN:
            return IoStatus::Closed;
        default:
            return IoStatus::Error;
    }
}

}  // namespace

void enable_moving_writes(SSL* ssl) {
    SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_set_read_ahead(ssl, 1);
}

IoStatus Conn::flush() {
    while (out_head < out.size()) {
        const size_t left = out.size() - out_head;
        if (ssl) {
            const int n = SSL_write(ssl, out.data() + out_head,
                                    static_cast<int>(std::min<size_t>(left, INT_MAX)));
            if (n <= 0) {
                const IoStatus st = ssl_status(ssl, n);
                if (st == IoStatus::Ok) return st;
                return IoStatus::Error;
            }
            out_head += static_cast<size_t>(n);
            continue;
        }
        const ssize_t n = ::send(fd, out.data() + out_head, left, MSG_NOSIGNAL);
        if (n > 0) {
            out_head += static_cast<size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return IoStatus::Ok;
        } else {
            return IoStatus::Error;
        }
    }
    out.clear();  // keeps the capacity: no allocation per message
    out_head = 0;
    return IoStatus::Ok;
}

IoStatus Conn::read(char* buf, size_t cap, size_t& got) {
    got = 0;
    if (!ssl) {
        const ssize_t n = ::recv(fd, buf, cap, 0);
        if (n > 0) {
            got = static_cast<size_t>(n);
            return IoStatus::Ok;
        }
        if (n == 0) return IoStatus::Closed;
        return errno == EAGAIN || errno == EINTR ? IoStatus::Ok : IoStatus::Error;
    }
    while (got < cap) {
        const int n =
            SSL_read(ssl, buf + got, static_cast<int>(std::min<size_t>(cap - got, INT_MAX)));
        if (n <= 0) return ssl_status(ssl, n);
        got += static_cast<size_t>(n);
        if (SSL_get_read_ahead(ssl) == 1 && SSL_has_pending(ssl) == 0) break;
    }
    return IoStatus::Ok;
}

}  // namespace blynk::bench
