#include "tools/bench/ws_client.hpp"

namespace blynk::bench {

namespace {

constexpr uint8_t kFin = 0x80;
constexpr uint8_t kOpContinuation = 0x0;
constexpr uint8_t kOpBinary = 0x2;
constexpr uint8_t kMasked = 0x80;
// The mask is not a secret here: the bench talks to its own server on loopback.
constexpr uint8_t kMask[4] = {0x37, 0xfa, 0x21, 0x3d};
// Larger server messages than this mean the stream is not what the bench expects.
constexpr uint64_t kMaxPayload = 1 << 20;

}  // namespace

void append_ws_upgrade(std::string& out, std::string_view path) {
    out += "GET ";
    out += path;
    out +=
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

size_t ws_upgrade_head_size(std::string_view in) {
    const size_t end = in.find("\r\n\r\n");
    return end == std::string_view::npos ? 0 : end + 4;
}

bool ws_upgrade_accepted(std::string_view head) {
    return head.rfind("HTTP/1.1 101", 0) == 0;
}

void append_ws_binary(std::string& out, std::string_view payload) {
    out += static_cast<char>(kFin | kOpBinary);
    const size_t n = payload.size();
    if (n < 126) {
        out += static_cast<char>(kMasked | n);
    } else if (n <= 0xffff) {
        out += static_cast<char>(kMasked | 126);
        out += static_cast<char>(n >> 8);
        out += static_cast<char>(n & 0xff);
    } else {
        out += static_cast<char>(kMasked | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            out += static_cast<char>((static_cast<uint64_t>(n) >> shift) & 0xff);
    }
    out.append(reinterpret_cast<const char*>(kMask), 4);
    for (size_t i = 0; i < n; ++i)
        out += static_cast<char>(static_cast<uint8_t>(payload[i]) ^ kMask[i % 4]);
}

WsFrame parse_ws_frame(std::string_view in) {
    WsFrame f;
    if (in.size() < 2) return f;
    const auto byte = [&](size_t i) { return static_cast<uint8_t>(in[i]); };
    const uint8_t opcode = byte(0) & 0x0f;
    if (byte(1) & kMasked) {
        f.kind = WsFrame::Kind::Broken;  // servers never mask
        return f;
    }
    uint64_t len = byte(1) & 0x7f;
    size_t head = 2;
    if (len >= 126) {
        const size_t extra = len == 126 ? 2 : 8;
        if (in.size() < head + extra) return f;
        len = 0;
        for (size_t i = 0; i < extra; ++i)
            len = len << 8 | byte(head + i);
        head += extra;
    }
    if (len > kMaxPayload) {
        f.kind = WsFrame::Kind::Broken;
        return f;
    }
    if (in.size() < head + len) return f;
    f.consumed = head + static_cast<size_t>(len);
    f.payload = in.substr(head, static_cast<size_t>(len));
    f.kind = opcode == kOpBinary || opcode == kOpContinuation ? WsFrame::Kind::Data
                                                              : WsFrame::Kind::Control;
    return f;
}

}  // namespace blynk::bench
