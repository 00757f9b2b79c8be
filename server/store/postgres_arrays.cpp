#include "server/store/postgres_arrays.hpp"

#include <charconv>
#include <cmath>

namespace blynk::store {

void PgArrayLiteral::add_text(std::string_view value) {
    separate();
    text_ += '"';
    for (char c : value) {
        if (c == '"' || c == '\\') text_ += '\\';
        text_ += c;
    }
    text_ += '"';
}

void PgArrayLiteral::add_bytes(std::string_view value) {
    static constexpr char kHex[] = "0123456789abcdef";
    separate();
    // Inside a quoted element the backslash of bytea's "\x" is itself escaped.
    text_ += "\"\\\\x";
    for (unsigned char c : value) {
        text_ += kHex[c >> 4];
        text_ += kHex[c & 0x0f];
    }
    text_ += '"';
}

void PgArrayLiteral::add_int(int64_t value) {
    separate();
    text_ += std::to_string(value);
}

void PgArrayLiteral::add_double(double value) {
    separate();
    if (std::isnan(value)) {
        text_ += "NaN";
    } else if (std::isinf(value)) {
        text_ += value > 0 ? "Infinity" : "-Infinity";
    } else {
        char buf[32];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
        text_.append(buf, ec == std::errc() ? end : buf);
    }
}

}  // namespace blynk::store
