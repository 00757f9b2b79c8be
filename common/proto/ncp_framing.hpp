#pragma once
// Blynk.NCP framing on a serial link: AA + escaped(payload ‖ crc8(payload)) + BB, where the bytes
// 11 13 AA BB CC are sent as CC followed by the byte XOR FF (the CRC byte too). Pure: bytes in,
// payloads out; the link owns the port. docs/protocol.md "Blynk.NCP serial codec" has the choices.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace blynk::proto::ncp {

inline constexpr uint8_t kFrameStart = 0xAA;
inline constexpr uint8_t kFrameEnd = 0xBB;
inline constexpr uint8_t kEscape = 0xCC;
inline constexpr uint8_t kEscapeXor = 0xFF;
/// The largest raw payload (unescaped, without the CRC) the specification allows unless a larger
/// one is negotiated; nothing in the MCU driver negotiates.
inline constexpr size_t kDefaultMaxPayload = 1536;

/// Appends the frame of `payload` to `out`, XON/XOFF escaped too (an MCU may not accept them
/// raw). Refuses, appending nothing, an empty payload (the MCU driver then loses the next frame)
/// and one over `max_payload` raw bytes (the MCU does not check its buffer's bounds).
[[nodiscard]] bool encode_frame(std::string& out, std::string_view payload,
                                size_t max_payload = kDefaultMaxPayload);

/// What a Deframer dropped and handed out, for logs and metrics.
struct DeframerCounters {
    uint64_t payloads = 0;    ///< frames with a good CRC, handed out
    uint64_t bad_crc = 0;     ///< frames whose CRC byte did not match, dropped
    uint64_t oversized = 0;   ///< frames longer than max_payload, dropped unread
    uint64_t empty = 0;       ///< `AA BB` or a lone CRC byte: no payload to hand out
    uint64_t restarted = 0;   ///< frames cut short by a raw AA, which starts the next frame
    uint64_t bad_escape = 0;  ///< frames ending on an escape byte (`CC BB`), dropped
    uint64_t junk_bytes = 0;  ///< bytes outside any frame, skipped
};

/// Cuts a byte stream arriving in chunks of any size into the payloads of its good frames.
/// Memory is bounded: at most max_payload + 1 bytes of a frame are held.
class Deframer {
public:
    explicit Deframer(size_t max_payload = kDefaultMaxPayload);

    /// Consumes bytes from the front of `in` until a frame with a good CRC ends, and returns its
    /// unescaped payload (never empty; valid until the next call), or nullopt once `in` is used
    /// up (a frame begun stays pending for the next chunk). Use:
    /// `while (auto payload = deframer.next(chunk)) handle(*payload);`
    std::optional<std::string_view> next(std::span<const uint8_t>& in);

    const DeframerCounters& counters() const { return counters_; }
    size_t max_payload() const { return max_payload_; }

private:
    enum class State : uint8_t {
        Outside,     ///< between frames: everything but AA is junk
        Inside,      ///< collecting a frame
        Escaped,     ///< inside, after CC: the next byte is XORed with FF
        Discarding,  ///< inside an oversized frame: skipping to its BB
    };

    void start_frame();
    void append(uint8_t byte);
    std::optional<std::string_view> end_frame();

    size_t max_payload_;
    State state_ = State::Outside;
    std::string frame_;  ///< unescaped payload ‖ CRC of the frame being collected
    DeframerCounters counters_;
};

}  // namespace blynk::proto::ncp
