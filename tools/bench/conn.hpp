#pragma once
// One non-blocking client connection of the load engine, plain TCP or TLS (an established
// OpenSSL client on the fd): an input buffer that holds only an incomplete trailing message
// (complete ones are parsed straight from the thread's read buffer), and an output buffer
// flushed once per loop turn, so pipelined messages leave in one send() (one SSL_write).

#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tools/bench/workload.hpp"

namespace blynk::bench {

enum class IoStatus { Ok, Closed, Error };

struct Conn {
    int fd = -1;
    SSL* ssl = nullptr;  ///< TLS when set (owned by the caller, like the fd)
    Wire wire = Wire::Hardware;
    size_t stream = 0;      ///< index of the stream this connection belongs to
    bool tx = false;        ///< the stream's sending side
    bool rx = false;        ///< one of the stream's receivers (may be the sender too)
    bool want_out = false;  ///< EPOLLOUT is registered
    std::string in;         ///< unparsed input carried over to the next read
    std::string out;        ///< queued output
    size_t out_head = 0;

    /// Sends queued output until done or the socket (or TLS) would block.
    IoStatus flush();
    bool has_output() const { return out_head < out.size(); }
    /// Reads what is available into `buf` (at most `cap` bytes) without blocking; `got` is how
    /// much. TLS reads record after record until OpenSSL has nothing left or `buf` is full (data
    /// OpenSSL holds would not wake epoll again); with read-ahead it stops when OpenSSL holds
    /// nothing, without a read(2) that would only say EAGAIN (epoll is level-triggered). Closed /
    /// Error: the connection is gone (what was read before still counts).
    IoStatus read(char* buf, size_t cap, size_t& got);
};

/// Sets the modes the engine's TLS connections use once established: partial writes, retrying
/// a write with a buffer that has grown or moved meanwhile, and read-ahead (one read(2) takes
/// what the socket holds, not a record's header and then its body: the bench's CPU is taken
/// from the server's on a shared machine).
void enable_moving_writes(SSL* ssl);

}  // namespace blynk::bench
