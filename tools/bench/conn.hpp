#pragma once
// One non-blocking client connection of the load engine: an input buffer that holds only an
// incomplete trailing message (complete ones are parsed straight from the thread's read
// buffer), and an output buffer flushed once per loop turn, so pipelined messages leave in one
// send().

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace blynk::bench {

enum class IoStatus { Ok, Closed, Error };

struct Conn {
    int fd = -1;
    size_t stream = 0;      ///< index of the stream this connection belongs to
    bool tx = false;        ///< the stream's sending side
    bool rx = false;        ///< the stream's receiving side (may be the same connection)
    bool http = false;      ///< speaks HTTP/1.1 (REST sender) instead of Blynk frames
    bool want_out = false;  ///< EPOLLOUT is registered
    std::string in;         ///< unparsed input carried over to the next read
    std::string out;        ///< queued output
    size_t out_head = 0;

    /// Sends queued output until done or EAGAIN.
    IoStatus flush();
    bool has_output() const { return out_head < out.size(); }
};

}  // namespace blynk::bench
