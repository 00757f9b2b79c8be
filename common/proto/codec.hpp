#pragma once
// The Blynk frame codec: a pure function over bytes. No sockets, no session state.
//
// Hardware layout: command u8, message id u16, length u16 (5 bytes, big-endian), then the body.
// App layout: the same with a u32 length (7 bytes). For RESPONSE (command 0) the length field is
// the status code and no body follows.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace blynk::proto {

enum class Layout : uint8_t { Hardware, App };

/// Header size of a layout: 5 (hardware) or 7 (app).
constexpr size_t header_size(Layout layout) {
    return layout == Layout::Hardware ? 5 : 7;
}

struct DecodeLimits {
    Layout layout = Layout::Hardware;
    uint32_t max_body = 65535;  ///< checked on the header, before any body byte is waited for
};

/// One decoded frame; body points into the decoded input.
struct FrameView {
    uint8_t command = 0;
    uint16_t id = 0;
    uint32_t status = 0;    ///< RESPONSE only
    std::string_view body;  ///< empty for RESPONSE
};

enum class DecodeError : uint8_t {
    None,
    BodyTooLarge,    ///< declared length over DecodeLimits::max_body
    InvalidCommand,  ///< command byte >= 100
};

struct DecodeResult {
    enum class Kind : uint8_t { NeedMore, Frame, Error } kind = Kind::NeedMore;
    size_t consumed = 0;  ///< bytes of input making up the frame (Frame only)
    size_t needed = 0;    ///< total bytes the frame needs (NeedMore with a complete header)
    FrameView frame;
    DecodeError error = DecodeError::None;
    uint32_t declared_length = 0;  ///< the header's length (Error::BodyTooLarge)
};

/// Decodes the first frame of `in`. Never reads past `in`, never allocates.
DecodeResult decode(std::span<const uint8_t> in, const DecodeLimits& limits);

/// Appends one frame (header + body) to `out`. Bodies longer than the layout allows are the
/// caller's bug: they are truncated to the maximum so that the stream stays in sync.
void encode(std::string& out, Layout layout, uint8_t command, uint16_t id, std::string_view body);

/// Appends one RESPONSE frame (command 0, status in the length field) to `out`.
void encode_response(std::string& out, Layout layout, uint16_t id, uint32_t status);

/// Human-readable decode error for logs.
std::string_view describe(DecodeError error);

}  // namespace blynk::proto
