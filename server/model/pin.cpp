#include "server/model/pin.hpp"

#include <charconv>

namespace blynk::model {

std::optional<PinType> pin_type_from_letter(char c) {
    switch (c) {
        case 'v':
        case 'V':
            return PinType::Virtual;
        case 'd':
        case 'D':
            return PinType::Digital;
        case 'a':
        case 'A':
            return PinType::Analog;
        default:
            return std::nullopt;
    }
}

std::optional<uint8_t> parse_pin_number(std::string_view s) {
    if (s.empty() || s.size() > 3) return std::nullopt;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || value > 255) return std::nullopt;
    return static_cast<uint8_t>(value);
}

std::optional<PinKey> parse_pin_key(std::string_view s) {
    if (s.size() < 2) return std::nullopt;
    auto type = pin_type_from_letter(s[0]);
    auto pin = parse_pin_number(s.substr(1));
    if (!type || !pin) return std::nullopt;
    return PinKey{*type, *pin};
}

}  // namespace blynk::model
