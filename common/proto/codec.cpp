#include "common/proto/codec.hpp"

#include <algorithm>
#include <limits>

#include "common/proto/command.hpp"

namespace blynk::proto {
namespace {

uint32_t read_be(std::span<const uint8_t> in, size_t offset, size_t width) {
    uint32_t v = 0;
    for (size_t i = 0; i < width; ++i)
        v = (v << 8) | in[offset + i];
    return v;
}

void append_be(std::string& out, uint32_t v, size_t width) {
    for (size_t i = width; i-- > 0;)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Width of the length field (and of a RESPONSE's status) in the stream layouts.
size_t length_width(Layout layout) {
    return layout == Layout::Hardware ? 2 : 4;
}

constexpr size_t kWebAppStatusBytes = 4;

DecodeResult error_result(DecodeError error) {
    DecodeResult r;
    r.kind = DecodeResult::Kind::Error;
    r.error = error;
    return r;
}

// The WebSocket message is the frame (WSMessageDecoder in the Java server): nothing to wait for,
// so a short message is an error rather than NeedMore.
DecodeResult decode_web_app(std::span<const uint8_t> in, const DecodeLimits& limits) {
    const size_t hs = header_size(Layout::WebApp);
    if (in.size() < hs) return error_result(DecodeError::Truncated);
    const uint8_t command = in[0];
    const uint16_t id = static_cast<uint16_t>(read_be(in, 1, 2));
    if (command >= cmd::kFirstInvalid) return error_result(DecodeError::InvalidCommand);

    DecodeResult r;
    if (command == cmd::kResponse) {
        if (in.size() < hs + kWebAppStatusBytes) return error_result(DecodeError::Truncated);
        r.kind = DecodeResult::Kind::Frame;
        r.consumed = in.size();
        r.frame = FrameView{command, id, read_be(in, hs, kWebAppStatusBytes), {}};
        return r;
    }
    const size_t body_size = in.size() - hs;
    if (body_size > limits.max_body) {
        r = error_result(DecodeError::BodyTooLarge);
        r.declared_length = static_cast<uint32_t>(
            std::min<size_t>(body_size, std::numeric_limits<uint32_t>::max()));
        return r;
    }
    r.kind = DecodeResult::Kind::Frame;
    r.consumed = in.size();
    r.frame = FrameView{command, id, 0,
                        std::string_view(reinterpret_cast<const char*>(in.data() + hs), body_size)};
    return r;
}

}  // namespace

DecodeResult decode(std::span<const uint8_t> in, const DecodeLimits& limits) {
    if (limits.layout == Layout::WebApp) return decode_web_app(in, limits);
    DecodeResult r;
    const size_t hs = header_size(limits.layout);
    if (in.size() < hs) return r;  // NeedMore; the header is not complete yet

    const uint8_t command = in[0];
    const uint16_t id = static_cast<uint16_t>(read_be(in, 1, 2));
    const uint32_t length = read_be(in, 3, length_width(limits.layout));
    if (command >= cmd::kFirstInvalid) {
        r.kind = DecodeResult::Kind::Error;
        r.error = DecodeError::InvalidCommand;
        return r;
    }
    if (command == cmd::kResponse) {
        r.kind = DecodeResult::Kind::Frame;
        r.consumed = hs;
        r.frame = FrameView{command, id, length, {}};
        return r;
    }
    if (length > limits.max_body) {
        r.kind = DecodeResult::Kind::Error;
        r.error = DecodeError::BodyTooLarge;
        r.declared_length = length;
        return r;
    }
    const size_t total = hs + length;
    if (in.size() < total) {
        r.needed = total;
        return r;
    }
    r.kind = DecodeResult::Kind::Frame;
    r.consumed = total;
    r.frame = FrameView{command, id, 0,
                        std::string_view(reinterpret_cast<const char*>(in.data() + hs), length)};
    return r;
}

void encode(std::string& out, Layout layout, uint8_t command, uint16_t id, std::string_view body) {
    if (layout == Layout::WebApp) {
        out.push_back(static_cast<char>(command));
        append_be(out, id, 2);
        out.append(body);
        return;
    }
    const size_t max = layout == Layout::Hardware ? 0xFFFF : 0xFFFFFFFF;
    body = body.substr(0, std::min(body.size(), max));
    out.push_back(static_cast<char>(command));
    append_be(out, id, 2);
    append_be(out, static_cast<uint32_t>(body.size()), length_width(layout));
    out.append(body);
}

void encode_response(std::string& out, Layout layout, uint16_t id, uint32_t status) {
    out.push_back(static_cast<char>(cmd::kResponse));
    append_be(out, id, 2);
    append_be(out, status, layout == Layout::WebApp ? kWebAppStatusBytes : length_width(layout));
}

std::string_view describe(DecodeError error) {
    switch (error) {
        case DecodeError::None:
            return "no error";
        case DecodeError::BodyTooLarge:
            return "body larger than allowed";
        case DecodeError::InvalidCommand:
            return "invalid command byte";
        case DecodeError::Truncated:
            return "message shorter than its header";
    }
    return "unknown";
}

}  // namespace blynk::proto
