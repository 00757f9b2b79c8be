#pragma once
// A pin address (type letter + number 0..255) as used in hardware bodies ("vw\05\0...").

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace blynk::model {

enum class PinType : char { Virtual = 'v', Digital = 'd', Analog = 'a' };

struct PinKey {
    PinType type = PinType::Virtual;
    uint8_t pin = 0;

    friend bool operator==(const PinKey&, const PinKey&) = default;
    friend auto operator<=>(const PinKey& a, const PinKey& b) {
        return std::pair(static_cast<char>(a.type), a.pin) <=>
               std::pair(static_cast<char>(b.type), b.pin);
    }
    /// "v5", "d13": the form stored in SQLite and shown by the CLI.
    std::string str() const {
        return std::string(1, static_cast<char>(type)) + std::to_string(pin);
    }
};

/// Pin type from its letter, either case ('v', 'V', 'd', 'a'); nullopt otherwise.
std::optional<PinType> pin_type_from_letter(char c);
/// Pin number "0".."255" (bare decimal digits only); nullopt otherwise.
std::optional<uint8_t> parse_pin_number(std::string_view s);
/// "v5" / "V5" / "d13": inverse of PinKey::str().
std::optional<PinKey> parse_pin_key(std::string_view s);

}  // namespace blynk::model

template <>
struct std::hash<blynk::model::PinKey> {
    size_t operator()(const blynk::model::PinKey& k) const noexcept {
        return (static_cast<size_t>(k.type) << 8) | k.pin;
    }
};
