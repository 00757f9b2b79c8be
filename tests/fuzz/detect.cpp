// First-bytes detection (server/net/detect): any bytes, on each of the three layers, asked with
// every prefix as the router asks while they arrive. A decision, once made, must not change with
// more bytes, and kMaxDetectBytes bytes must always be enough to decide.
#include <cstddef>
#include <cstdint>
#include <span>

#include "server/net/detect.hpp"
#include "tests/fuzz/support/check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using blynk::net::Detected;
    using blynk::net::Layer;
    const std::span<const uint8_t> bytes(data, size);
    for (Layer layer : {Layer::Plain, Layer::TlsPort, Layer::InsideTls}) {
        Detected decided = Detected::NeedMore;
        for (size_t n = 0; n <= bytes.size(); ++n) {
            const Detected now = blynk::net::detect(bytes.first(n), layer);
            if (decided != Detected::NeedMore)
                blynk::fuzz::check(now == decided, "a decision stays with more bytes");
            if (n >= blynk::net::kMaxDetectBytes)
                blynk::fuzz::check(now != Detected::NeedMore, "kMaxDetectBytes bytes decide");
            if (layer == Layer::TlsPort)
                blynk::fuzz::check(now == Detected::NeedMore || now == Detected::Tls ||
                                       now == Detected::Http || now == Detected::Garbage,
                                   "only TLS (or text, answered) on the TLS port");
            if (layer == Layer::InsideTls)
                blynk::fuzz::check(now != Detected::Tls, "no TLS inside TLS");
            decided = now;
            if (n > blynk::net::kMaxDetectBytes) break;  // the router never asks with more
        }
    }
    return 0;
}
