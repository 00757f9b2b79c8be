#pragma once
// The client side of the hardware WebSocket (RFC 6455) as far as the bench needs it: the
// upgrade request, masked binary messages out, and the server's unmasked messages in (each
// carrying Blynk frames).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace blynk::bench {

/// The hardware WebSocket path blynkd upgrades on the plain port.
constexpr std::string_view kHardwareWsPath = "/websockets";

/// Appends an HTTP/1.1 upgrade request for `path`.
void append_ws_upgrade(std::string& out, std::string_view path);

/// Length of the upgrade answer's head (through the blank line) at the start of `in`: 0 while
/// incomplete.
size_t ws_upgrade_head_size(std::string_view in);

/// True when the upgrade answer's head says 101 Switching Protocols.
bool ws_upgrade_accepted(std::string_view head);

/// Appends `payload` as one masked binary message (a client must mask).
void append_ws_binary(std::string& out, std::string_view payload);

/// One message cut from the server's bytes.
struct WsFrame {
    enum class Kind { NeedMore, Data, Control, Broken } kind = Kind::NeedMore;
    size_t consumed = 0;
    std::string_view payload;  ///< Data: the message's bytes (inside `in`)
};

/// Cuts the first frame from `in`: binary/continuation → Data, ping/pong/close/text → Control
/// (ignored by the bench), masked or oversized → Broken.
WsFrame parse_ws_frame(std::string_view in);

}  // namespace blynk::bench
