#include "common/proto/ncp_values.hpp"

#include <algorithm>
#include <limits>

namespace blynk::proto::ncp {

uint64_t Reader::little_endian(size_t bytes) {
    if (!ok()) return 0;
    if (rest_.size() < bytes) {
        error_ = ReadError::Truncated;
        return 0;
    }
    uint64_t value = 0;
    for (size_t i = bytes; i-- > 0;)
        value = (value << 8) | static_cast<uint8_t>(rest_[i]);
    rest_.remove_prefix(bytes);
    return value;
}

uint8_t Reader::u8() {
    return static_cast<uint8_t>(little_endian(1));
}
uint16_t Reader::u16() {
    return static_cast<uint16_t>(little_endian(2));
}
uint32_t Reader::u32() {
    return static_cast<uint32_t>(little_endian(4));
}
int16_t Reader::i16() {
    return static_cast<int16_t>(little_endian(2));
}
int64_t Reader::i64() {
    return static_cast<int64_t>(little_endian(8));
}
bool Reader::boolean() {
    return little_endian(1) != 0;
}

std::string_view Reader::string() {
    if (!ok()) return {};
    const size_t nul = rest_.find('\0');
    if (nul == std::string_view::npos) {
        error_ = ReadError::MissingNul;
        return {};
    }
    const std::string_view value = rest_.substr(0, nul);
    rest_.remove_prefix(nul + 1);
    return value;
}

std::string_view Reader::binary() {
    const uint16_t size = u16();
    if (!ok()) return {};
    if (rest_.size() < size) {
        error_ = ReadError::Truncated;
        return {};
    }
    const std::string_view value = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return value;
}

void Writer::little_endian(uint64_t value, size_t bytes) {
    for (size_t i = 0; i < bytes; ++i, value >>= 8)
        out_.push_back(static_cast<char>(value & 0xff));
}

Writer& Writer::u8(uint8_t value) {
    little_endian(value, 1);
    return *this;
}

Writer& Writer::u16(uint16_t value) {
    little_endian(value, 2);
    return *this;
}

Writer& Writer::u32(uint32_t value) {
    little_endian(value, 4);
    return *this;
}

Writer& Writer::i16(int16_t value) {
    little_endian(static_cast<uint16_t>(value), 2);
    return *this;
}

Writer& Writer::i64(int64_t value) {
    little_endian(static_cast<uint64_t>(value), 8);
    return *this;
}

Writer& Writer::boolean(bool value) {
    return u8(value ? 1 : 0);
}

Writer& Writer::string(std::string_view value) {
    out_.append(value.substr(0, value.find('\0')));
    out_.push_back('\0');
    return *this;
}

Writer& Writer::binary(std::string_view value) {
    const size_t size = std::min<size_t>(value.size(), std::numeric_limits<uint16_t>::max());
    u16(static_cast<uint16_t>(size));
    out_.append(value.substr(0, size));
    return *this;
}

std::string_view describe(ReadError error) {
    switch (error) {
        case ReadError::None:
            return "none";
        case ReadError::Truncated:
            return "value truncated";
        case ReadError::MissingNul:
            return "string without its terminating NUL";
    }
    return "unknown";
}

}  // namespace blynk::proto::ncp
