#include "common/util/java_double.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

namespace blynk::util {

std::string java_double(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    std::string out = std::signbit(value) ? "-" : "";
    if (value == 0) return out + "0.0";

    // Shortest round-trip digits in scientific form: "1.2345e+05", "5e-04".
    char buf[32];
    const auto result =
        std::to_chars(buf, buf + sizeof buf, std::fabs(value), std::chars_format::scientific);
    const std::string_view text(buf, static_cast<size_t>(result.ptr - buf));
    const size_t e_pos = text.find('e');
    std::string digits;
    for (char c : text.substr(0, e_pos))
        if (c != '.') digits.push_back(c);
    int exponent = 0;
    std::string_view exp_text = text.substr(e_pos + 1);
    if (exp_text.front() == '+') exp_text.remove_prefix(1);
    std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);

    if (exponent >= -3 && exponent < 7) {
        if (exponent < 0)
            return out + "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
        const size_t point = static_cast<size_t>(exponent) + 1;
        if (digits.size() <= point)
            return out + digits + std::string(point - digits.size(), '0') + ".0";
        return out + digits.substr(0, point) + "." + digits.substr(point);
    }
    out += digits.front();
    out += '.';
    out += digits.size() > 1 ? digits.substr(1) : "0";
    return out + "E" + std::to_string(exponent);
}

}  // namespace blynk::util
