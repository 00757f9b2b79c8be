#pragma once
// The checksum of a Blynk.NCP frame: CRC-8/SMBUS (polynomial 0x07, init 0x00, no reflection, no
// final XOR; check value 0xF4 for "123456789"). The NCP specification calls it "CRC-8-CCITT", but
// the variant sold under that name with XOR-out 0x55 does not match the driver's frames.

#include <cstdint>
#include <string_view>

namespace blynk::proto::ncp {

/// CRC-8/SMBUS over `bytes` (a frame's unescaped payload).
uint8_t crc8(std::string_view bytes);

}  // namespace blynk::proto::ncp
