#pragma once
// Blynk.NCP calls and the hardware protocol's frames, one into the other (ncp.md §4.2, §4.3): what
// an MCU's Blynk calls are as a board's frames, and what of the frames for a board an MCU can be
// given. Pure, so that the serial port's session only moves bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blynk::proto::ncp {

/// A hardware frame's command and body (hardware.md), as a board would have sent it.
struct BoardFrame {
    uint8_t command = 0;
    std::string body;
};

enum class Untranslated : uint8_t {
    NotUsed,    ///< a call the legacy server has no use for (groups, event resolution, metadata)
    Malformed,  ///< its args did not read as the call's
};

/// The board frame of a ONEWAY Blynk call of the MCU's: virtualWrite → HARDWARE `vw`,
/// syncAll and syncVirtual → HARDWARE_SYNC, setProperty → SET_WIDGET_PROPERTY, logEvent →
/// EVENT_LOG. Otherwise nullopt and `why`.
std::optional<BoardFrame> board_frame_of(uint16_t uid, std::string_view args, Untranslated& why);

/// The args of client.blynkVPinChange (u16 pin, Binary value) for a frame the hub sends a board:
/// only HARDWARE `vw␀pin␀value` has an NCP form; nullopt for anything else.
std::optional<std::string> vpin_change_args(uint8_t command, std::string_view body);

}  // namespace blynk::proto::ncp
