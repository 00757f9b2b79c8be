// The app frame codec (common/proto/codec): the 7-byte-header stream of the mobile app on
// TCP/TLS (in one read and in two), and the same bytes as one /dashws WebSocket message (3-byte
// header, no length), with the body limit before login and the one after.
#include <cstddef>
#include <cstdint>
#include <span>

#include "server/net/session_protocols.hpp"
#include "tests/fuzz/support/frame_cutter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace blynk;
    const std::span<const uint8_t> in(data, size);
    const net::SessionLimits limits;
    for (uint32_t max_body : {limits.prelogin_max_body, limits.max_body}) {
        fuzz::cut_stream_twice(in, proto::DecodeLimits{proto::Layout::App, max_body});
        fuzz::cut_message(in, proto::DecodeLimits{proto::Layout::WebApp, max_body});
    }
    return 0;
}
