#pragma once
// Blynk.NCP RPC messages, the payload of a frame: a u16 opcode, then
//   INVOKE  u16 uid, u16 message id, args   (a RESULT with the same id is expected)
//   RESULT  u16 message id, u8 status, rets (rets only with status kOk)
//   ONEWAY  u16 uid, args
// all little-endian. Both sides send all three; each keeps its own message-id counter, which
// starts at 1 and wraps (0 is legal). Args and rets are read and written with ncp_values.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blynk::proto::ncp {

namespace opcode {
inline constexpr uint16_t kInvoke = 0x67BC;  ///< `bc 67` on the wire
inline constexpr uint16_t kResult = 0xA512;  ///< `12 a5`
inline constexpr uint16_t kOneway = 0x1CF3;  ///< `f3 1c`
}  // namespace opcode

/// RESULT statuses as the driver's code numbers them (its specification's list of 14 and 15
/// differs; the generated handlers answer malformed args with kArgsReadFailed).
namespace status {
inline constexpr uint8_t kOk = 0x00;
inline constexpr uint8_t kGeneric = 0x10;
inline constexpr uint8_t kTimeout = 0x11;
inline constexpr uint8_t kNoMemory = 0x12;
inline constexpr uint8_t kUnknownUid = 0x13;
inline constexpr uint8_t kArgsWriteFailed = 0x14;
inline constexpr uint8_t kArgsReadFailed = 0x15;
inline constexpr uint8_t kRetsWriteFailed = 0x16;
inline constexpr uint8_t kRetsReadFailed = 0x17;
}  // namespace status

/// One parsed payload; `data` points into it.
struct Message {
    enum class Kind : uint8_t {
        Invoke,
        Result,
        Oneway,
        Unknown,  ///< a reserved or unknown opcode: ignored, as the driver does
    } kind = Kind::Unknown;
    uint16_t opcode = 0;
    uint16_t uid = 0;       ///< Invoke, Oneway
    uint16_t msg_id = 0;    ///< Invoke, Result
    uint8_t status = 0;     ///< Result
    std::string_view data;  ///< args (Invoke, Oneway), rets (Result), the rest (Unknown)
};

/// Reads a payload; nullopt when it is shorter than its opcode or its kind's header.
std::optional<Message> parse_message(std::string_view payload);

/// Append a message to `out` (a payload; frame it with encode_frame). Args and rets may be
/// given here or written after the header with a Writer over the same string.
void append_invoke(std::string& out, uint16_t uid, uint16_t msg_id, std::string_view args = {});
void append_result(std::string& out, uint16_t msg_id, uint8_t status, std::string_view rets = {});
void append_oneway(std::string& out, uint16_t uid, std::string_view args = {});

}  // namespace blynk::proto::ncp
