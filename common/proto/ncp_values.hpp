#pragma once
// The values inside Blynk.NCP args and rets: fixed-width little-endian integers, Bool as one
// byte (any non-zero reads true), String as bytes + 00 (no length), Binary as u16 length + bytes.
// Blynk pin values travel as Binary in their text form ("42", multi-value items separated by 00).

#include <cstdint>
#include <string>
#include <string_view>

namespace blynk::proto::ncp {

enum class ReadError : uint8_t {
    None,
    Truncated,   ///< fewer bytes left than the value needs
    MissingNul,  ///< a String without its terminating 00
};

/// Reads values one after the other from args or rets. The first failure sticks: later reads
/// return 0, false or "" and consume nothing, so a handler reads everything, then checks once.
/// Values are views into the bytes read.
class Reader {
public:
    explicit Reader(std::string_view bytes) : rest_(bytes) {}
    explicit Reader(const char* text) : rest_(text) {}
    /// The reader keeps a view: bytes that die at the end of the statement would dangle.
    explicit Reader(std::string&&) = delete;

    uint8_t u8();
    uint16_t u16();
    uint32_t u32();
    int16_t i16();
    int64_t i64();
    bool boolean();
    std::string_view string();
    std::string_view binary();

    bool ok() const { return error_ == ReadError::None; }
    ReadError error() const { return error_; }
    /// Every read succeeded and nothing is left: what args and rets must be (the MCU reports
    /// rets with missing or extra bytes as a failed call even though they were sent as OK).
    bool consumed_exactly() const { return ok() && rest_.empty(); }
    size_t remaining() const { return rest_.size(); }

private:
    uint64_t little_endian(size_t bytes);

    std::string_view rest_;
    ReadError error_ = ReadError::None;
};

/// Appends values to a payload (after append_invoke/append_result/append_oneway).
class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}

    Writer& u8(uint8_t value);
    Writer& u16(uint16_t value);
    Writer& u32(uint32_t value);
    Writer& i16(int16_t value);
    Writer& i64(int64_t value);
    Writer& boolean(bool value);
    /// The wire cannot carry a NUL inside a String: the value ends at its first NUL.
    Writer& string(std::string_view value);
    /// Values over 65535 bytes are cut to 65535, so that the message stays readable (no frame
    /// that long fits an MCU anyway).
    Writer& binary(std::string_view value);

private:
    void little_endian(uint64_t value, size_t bytes);

    std::string& out_;
};

/// Human-readable read error for logs.
std::string_view describe(ReadError error);

}  // namespace blynk::proto::ncp
