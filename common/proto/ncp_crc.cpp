#include "common/proto/ncp_crc.hpp"

#include <array>

namespace blynk::proto::ncp {
namespace {

constexpr uint8_t kPolynomial = 0x07;

// One entry per byte value: the CRC register after shifting that byte through it.
constexpr std::array<uint8_t, 256> make_table() {
    std::array<uint8_t, 256> table{};
    for (unsigned value = 0; value < 256; ++value) {
        auto crc = static_cast<uint8_t>(value);
        for (int bit = 0; bit < 8; ++bit)
            crc = static_cast<uint8_t>((crc & 0x80) ? (crc << 1) ^ kPolynomial : crc << 1);
        table[value] = crc;
    }
    return table;
}

constexpr std::array<uint8_t, 256> kTable = make_table();

}  // namespace

uint8_t crc8(std::string_view bytes) {
    uint8_t crc = 0;
    for (char c : bytes)
        crc = kTable[crc ^ static_cast<uint8_t>(c)];
    return crc;
}

}  // namespace blynk::proto::ncp
