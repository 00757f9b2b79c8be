#pragma once
// `ncp.ports`: the serial ports where an MCU runs the Blynk.NCP driver, each bound to the token of
// the device it becomes (the driver never sends a token). Parsed at start-up; a mistake stops the
// server with a message that names the entry.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace blynk::config {

struct NcpPortConfig {
    std::string path;           ///< /dev/ttyAMA0, /dev/serial/by-id/...
    std::string token;          ///< the device's token
    uint32_t baud = 38400;      ///< the rate the MCU's driver tries first (and returns to)
    uint32_t max_frame = 1536;  ///< the largest raw payload sent to the MCU (its input buffer)
};

/// Parses "PATH=TOKEN [baud=N] [frame=N]; PATH=TOKEN ...". Throws ConfigError naming the entry:
/// a missing token, an unknown option, a rate the serial driver cannot set, a frame cap outside
/// 32..1536, a path given twice.
std::vector<NcpPortConfig> parse_ncp_ports(std::string_view text);

/// Whether the serial port driver can be set to `baud` bits per second.
bool serial_baud_supported(uint32_t baud);

}  // namespace blynk::config
