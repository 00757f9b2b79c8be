#pragma once
// The Blynk frame codec: a pure function over bytes. No sockets, no session state.
//
// Hardware layout: command u8, message id u16, length u16 (5 bytes, big-endian), then the body.
// App layout: the same with a u32 length (7 bytes). For RESPONSE (command 0) the length field is
// the status code and no body follows.
// WebApp layout (the app protocol on WebSocket `/dashws`): command u8, message id u16 (3 bytes),
// no length field: one WebSocket message is one frame and the body is the rest of the message.
// A RESPONSE carries a u32 status after the id (7 bytes) and no body.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace blynk::proto {

enum class Layout : uint8_t {
    Hardware,  ///< 5-byte header with a u16 length: raw TCP/TLS hardware and `/websockets`
    App,       ///< 7-byte header with a u32 length: the mobile app on TCP/TLS
    WebApp,    ///< 3-byte header, no length: the app protocol in `/dashws` WebSocket messages
};

/// Header size of a layout: 5 (hardware), 7 (app) or 3 (web app; a web-app RESPONSE is 7 bytes
/// because its u32 status follows the header).
constexpr size_t header_size(Layout layout) {
    switch (layout) {
        case Layout::Hardware:
            return 5;
        case Layout::App:
            return 7;
        case Layout::WebApp:
            return 3;
    }
    return 7;
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
    BodyTooLarge,    ///< declared length (web app: the body's size) over DecodeLimits::max_body
    InvalidCommand,  ///< command byte >= 100
    Truncated,       ///< web app only: the message is shorter than its header (or its status)
};

struct DecodeResult {
    enum class Kind : uint8_t { NeedMore, Frame, Error } kind = Kind::NeedMore;
    size_t consumed = 0;  ///< bytes of input making up the frame (Frame only)
    size_t needed = 0;    ///< total bytes the frame needs (NeedMore with a complete header)
    FrameView frame;
    DecodeError error = DecodeError::None;
    uint32_t declared_length = 0;  ///< the header's length, or the web-app body size (BodyTooLarge)
};

/// Decodes the first frame of `in`. Never reads past `in`, never allocates.
/// Hardware and App: `in` is a byte stream; NeedMore until a whole frame has arrived.
/// WebApp: `in` is exactly one WebSocket message; the result is never NeedMore: it is a Frame
/// with `consumed == in.size()` (bytes after a RESPONSE's status are ignored) or an Error.
DecodeResult decode(std::span<const uint8_t> in, const DecodeLimits& limits);

/// Appends one frame (header + body) to `out`. Bodies longer than the layout allows are the
/// caller's bug: they are truncated to the maximum so that the stream stays in sync. WebApp has
/// no length field: the caller sends what is appended as one WebSocket message.
void encode(std::string& out, Layout layout, uint8_t command, uint16_t id, std::string_view body);

/// Appends one RESPONSE frame (command 0, status in the length field; web app: u32 status after
/// the id) to `out`.
void encode_response(std::string& out, Layout layout, uint16_t id, uint32_t status);

/// Human-readable decode error for logs.
std::string_view describe(DecodeError error);

}  // namespace blynk::proto
