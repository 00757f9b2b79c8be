#include "server/model/json_text.hpp"

#include <charconv>
#include <limits>

namespace blynk::model {
namespace {

using Json = nlohmann::ordered_json;

/// Whether arrays/objects in `text` open deeper than `limit`. A linear pre-scan: nlohmann's parser
/// itself is iterative, but everything done with the result afterwards recurses.
bool nests_deeper_than(std::string_view text, int limit) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;  // the escaped character cannot end the string
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        switch (c) {
            case '"':
                in_string = true;
                break;
            case '[':
            case '{':
                if (++depth > limit) return true;
                break;
            case ']':
            case '}':
                --depth;
                break;
            default:
                break;
        }
    }
    return false;
}

/// Length of the well-formed UTF-8 sequence starting at `i` (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), or 0 when the byte there does not start one.
size_t utf8_sequence_length(std::string_view s, size_t i) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead == 0xE0) {
        length = 3;
        second_min = 0xA0;
    } else if (lead == 0xED) {
        length = 3;
        second_max = 0x9F;
    } else if (lead >= 0xE1 && lead <= 0xEF) {
        length = 3;
    } else if (lead == 0xF0) {
        length = 4;
        second_min = 0x90;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
        length = 4;
    } else if (lead == 0xF4) {
        length = 4;
        second_max = 0x8F;
    } else {
        return 0;
    }
    if (i + length > s.size()) return 0;
    if (byte(i + 1) < second_min || byte(i + 1) > second_max) return 0;
    for (size_t k = 2; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    }
    return length;
}

void append_escape(std::string& out, unsigned char c) {
    switch (c) {
        case '"':
            out += "\\\"";
            return;
        case '\\':
            out += "\\\\";
            return;
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default:
            break;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\u00";
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0x0F]);
}

}  // namespace

std::optional<Json> parse_json_text(std::string_view text) {
    if (nests_deeper_than(text, kMaxJsonDepth)) return std::nullopt;
    try {
        Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
        if (json.is_discarded()) return std::nullopt;
        return json;
    } catch (const std::exception&) {
        return std::nullopt;  // only allocation failure gets here
    }
}

std::string dump_json(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<int64_t> json_integer(const Json& value) {
    if (value.is_number_unsigned()) {
        const uint64_t number = value.get<uint64_t>();
        if (number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
            return std::nullopt;
        }
        return static_cast<int64_t>(number);
    }
    if (value.is_number_integer()) return value.get<int64_t>();
    return std::nullopt;
}

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    size_t plain_from = 0;  // start of the run of bytes copied as they are
    size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            if (const size_t length = utf8_sequence_length(text, i)) {
                i += length;
                continue;
            }
        }
        out.append(text.data() + plain_from, i - plain_from);
        if (c >= 0x80) {
            out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
        } else {
            append_escape(out, c);
        }
        plain_from = ++i;
    }
    out.append(text.data() + plain_from, text.size() - plain_from);
    out.push_back('"');
}

void append_json_integer(std::string& out, int64_t value) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    (void)ec;  // 24 characters hold every int64_t
    out.append(digits, end);
}

void append_object_members(std::string& out, std::string_view object_text) {
    constexpr std::string_view kSpace = " \t\r\n";
    const size_t first = object_text.find_first_not_of(kSpace);
    const size_t last = object_text.find_last_not_of(kSpace);
    if (first == std::string_view::npos || object_text[first] != '{' || object_text[last] != '}' ||
        last == first) {
        return;
    }
    std::string_view members = object_text.substr(first + 1, last - first - 1);
    const size_t begin = members.find_first_not_of(kSpace);
    if (begin == std::string_view::npos) return;
    members = members.substr(begin, members.find_last_not_of(kSpace) - begin + 1);
    out.push_back(',');
    out.append(members);
}

}  // namespace blynk::model
