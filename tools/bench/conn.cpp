#include "tools/bench/conn.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace blynk::bench {

IoStatus Conn::flush() {
    while (out_head < out.size()) {
        const ssize_t n = ::send(fd, out.data() + out_head, out.size() - out_head, MSG_NOSIGNAL);
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

}  // namespace blynk::bench
