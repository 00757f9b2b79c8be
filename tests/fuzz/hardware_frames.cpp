// The hardware frame codec (common/proto/codec, 5-byte header) as a session cuts a byte stream:
// with the body limit before login and the one after, in one read and in two.
#include <cstddef>
#include <cstdint>
#include <span>

#include "server/net/session_protocols.hpp"
#include "tests/fuzz/support/frame_cutter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace blynk;
    const std::span<const uint8_t> in(data, size);
    const net::SessionLimits limits;
    for (uint32_t max_body : {limits.prelogin_max_body, limits.max_body})
        fuzz::cut_stream_twice(in, proto::DecodeLimits{proto::Layout::Hardware, max_body});
    return 0;
}
