#pragma once
// The frame loop of a framed session (server/net/framed_session.hpp, dispatch_frames) over the
// pure codec, with the codec's promises checked on every result: a frame never claims bytes past
// the input, its header and body add up, encoding it again gives the bytes it was cut from, and
// NeedMore asks for more than there is. A broken promise aborts, which the fuzzer reports.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/proto/body.hpp"
#include "common/proto/codec.hpp"
#include "common/proto/command.hpp"
#include "tests/fuzz/support/check.hpp"

namespace blynk::fuzz {

/// The NUL-separated body helpers on a frame's body, as the handlers use them.
inline void split_body(std::string_view body) {
    const auto fields = proto::split_all(body);
    const std::string joined = proto::join(fields);
    check(body.substr(0, joined.size()) == joined, "join(split_all(body)) is a prefix of body");
    const auto three = proto::split_n<3>(body);
    check(three.count <= 3 && (body.empty() || three.count >= 1), "split_n<3> field count");
    (void)proto::trim_java(body);
}

/// Checks one decoded frame against the bytes it came from.
inline void check_frame(std::span<const uint8_t> in, const proto::DecodeResult& r,
                        const proto::DecodeLimits& limits) {
    check(r.consumed <= in.size(), "a frame within the input");
    const auto& f = r.frame;
    check(f.command < proto::cmd::kFirstInvalid, "a valid command byte");
    thread_local std::string again;  // reused: no allocation per frame
    again.clear();
    if (f.command == 0) {
        check(f.body.empty(), "a RESPONSE has no body");
        proto::encode_response(again, limits.layout, f.id, f.status);
    } else {
        check(f.body.size() <= limits.max_body, "a body within the limit");
        check(f.body.empty() || (f.body.data() >= reinterpret_cast<const char*>(in.data()) &&
                                 f.body.data() + f.body.size() <=
                                     reinterpret_cast<const char*>(in.data() + r.consumed)),
              "the body inside the frame");
        proto::encode(again, limits.layout, f.command, f.id, f.body);
        split_body(f.body);
    }
    const std::string_view original(reinterpret_cast<const char*>(in.data()), r.consumed);
    if (limits.layout == proto::Layout::WebApp && f.command == 0) {
        // Bytes after a web-app RESPONSE's status are ignored.
        check(original.substr(0, again.size()) == again, "a RESPONSE encodes back");
    } else {
        check(again == original, "a frame encodes back to its bytes");
    }
}

/// Cuts `in` (a byte stream: hardware or app layout) into frames until it needs more bytes or
/// meets an error; returns the bytes consumed.
inline size_t cut_stream(std::span<const uint8_t> in, const proto::DecodeLimits& limits) {
    size_t offset = 0;
    while (true) {
        const auto rest = in.subspan(offset);
        const auto r = proto::decode(rest, limits);
        if (r.kind == proto::DecodeResult::Kind::NeedMore) {
            check(r.needed == 0 || r.needed > rest.size(), "NeedMore needs more than there is");
            check(rest.size() < proto::header_size(limits.layout) || r.needed > 0,
                  "NeedMore with a whole header says how much");
            return offset;
        }
        if (r.kind == proto::DecodeResult::Kind::Error) return offset;
        check(r.consumed >= proto::header_size(limits.layout), "a frame is at least a header");
        check_frame(rest, r, limits);
        offset += r.consumed;
    }
}

/// cut_stream on `in` whole, and on `in` arriving in two reads (split in the middle): what the
/// first read leaves is kept and the second read appended to it, as a session does. Both must cut
/// the same frames.
inline void cut_stream_twice(std::span<const uint8_t> in, const proto::DecodeLimits& limits) {
    const size_t whole = cut_stream(in, limits);
    const size_t first = cut_stream(in.first(in.size() / 2), limits);
    const std::vector<uint8_t> kept(in.begin() + static_cast<std::ptrdiff_t>(first), in.end());
    const size_t second = cut_stream(kept, limits);
    check(first + second == whole, "two reads cut the same frames as one");
}

/// Decodes one WebSocket message of the web-app layout (/dashws).
inline void cut_message(std::span<const uint8_t> message, const proto::DecodeLimits& limits) {
    const auto r = proto::decode(message, limits);
    check(r.kind != proto::DecodeResult::Kind::NeedMore, "a message is never NeedMore");
    if (r.kind == proto::DecodeResult::Kind::Frame) {
        check(r.consumed == message.size(), "a message is one frame");
        check_frame(message, r, limits);
    }
}

}  // namespace blynk::fuzz
