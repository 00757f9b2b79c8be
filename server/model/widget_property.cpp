// SET_WIDGET_PROPERTY: a property text from the app or hardware into a widget's JSON
// (profile_json.hpp). The property set and the conversions follow the Java server's
// WidgetProperty enum and Widget/StyledButton.setProperty.

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "common/util/ascii.hpp"
#include "server/model/json_text.hpp"
#include "server/model/profile_json.hpp"
#include "server/model/widget.hpp"

namespace blynk::model {
namespace {

using Json = nlohmann::ordered_json;

/// How a property's text becomes its JSON value.
enum class ValueKind { Text, TextList, Number, Integer, Flag, Color };

struct PropertyRule {
    std::string_view name;
    ValueKind kind;
    /// On a STYLED_BUTTON the property lives in this state object ... (empty: top level)
    std::string_view button_state = {};
    /// ... under this name.
    std::string_view button_state_field = {};
};

constexpr PropertyRule kProperties[] = {
    {"label", ValueKind::Text},
    {"color", ValueKind::Color},
    {"onLabel", ValueKind::Text, "onButtonState", "text"},
    {"offLabel", ValueKind::Text, "offButtonState", "text"},
    {"onColor", ValueKind::Color, "onButtonState", "textColor"},
    {"offColor", ValueKind::Color, "offButtonState", "textColor"},
    {"onBackColor", ValueKind::Color, "onButtonState", "backgroundColor"},
    {"offBackColor", ValueKind::Color, "offButtonState", "backgroundColor"},
    {"labels", ValueKind::TextList},
    {"min", ValueKind::Number},
    {"max", ValueKind::Number},
    {"isOnPlay", ValueKind::Flag},
    {"url", ValueKind::Text},
    {"urls", ValueKind::TextList},
    {"step", ValueKind::Number},
    {"valueFormatting", ValueKind::Text},
    {"suffix", ValueKind::Text},
    {"maximumFractionDigits", ValueKind::Integer},
    {"opacity", ValueKind::Number},
    {"scale", ValueKind::Number},
    {"rotation", ValueKind::Number},
};

const PropertyRule* find_rule(std::string_view property) {
    for (const PropertyRule& rule : kProperties) {
        if (rule.name == property) return &rule;
    }
    return nullptr;
}

template <class T>
bool parse_whole(std::string_view text, T& out, int base = 10) {
    const char* end = text.data() + text.size();
    std::from_chars_result result;
    if constexpr (std::is_floating_point_v<T>) {
        (void)base;
        result = std::from_chars(text.data(), end, out);
    } else {
        result = std::from_chars(text.data(), end, out, base);
    }
    return !text.empty() && result.ec == std::errc{} && result.ptr == end;
}

/// Java's Integer.decode: optional sign, then "0x"/"0X"/"#" hex, "0…" octal or decimal, within
/// the int range.
std::optional<int32_t> java_decode_int(std::string_view text) {
    bool negative = false;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    int base = 10;
    if (text.starts_with("0x") || text.starts_with("0X")) {
        base = 16;
        text.remove_prefix(2);
    } else if (text.starts_with("#")) {
        base = 16;
        text.remove_prefix(1);
    } else if (text.size() > 1 && text.front() == '0') {
        base = 8;
        text.remove_prefix(1);
    }
    uint64_t magnitude = 0;
    if (!parse_whole(text, magnitude, base)) return std::nullopt;  // also refuses a second sign
    const uint64_t limit = negative ? uint64_t{1} << 31 : (uint64_t{1} << 31) - 1;
    if (magnitude > limit) return std::nullopt;
    const int64_t signed_value =
        negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
    return static_cast<int32_t>(signed_value);
}

/// The JSON value of a property text; nullopt with `problem` (what the value must be) otherwise.
std::optional<Json> convert(ValueKind kind, std::string_view value, std::string& problem) {
    switch (kind) {
        case ValueKind::Text:
            return Json(std::string(value));
        case ValueKind::TextList: {
            Json list = Json::array();
            size_t from = 0;
            while (true) {
                const size_t nul = value.find('\0', from);
                list.push_back(std::string(value.substr(from, nul - from)));
                if (nul == std::string_view::npos) break;
                from = nul + 1;
            }
            return list;
        }
        case ValueKind::Integer:
        case ValueKind::Number: {
            int64_t integer = 0;
            if (parse_whole(value, integer)) return Json(integer);
            double number = 0;
            if (kind == ValueKind::Number && parse_whole(value, number) && std::isfinite(number)) {
                return Json(number);
            }
            problem = kind == ValueKind::Integer ? "needs an integer" : "needs a number";
            return std::nullopt;
        }
        case ValueKind::Flag: {
            const std::string lower = util::ascii_lower(value);
            if (lower == "true" || lower == "1") return Json(true);
            if (lower == "false" || lower == "0") return Json(false);
            problem = "needs true or false";
            return std::nullopt;
        }
        case ValueKind::Color: {
            // Java's ByteUtils.parseColor: decode, force alpha 255, then ARGB → RGBA, so the app
            // gets 0xRRGGBBFF as a signed int.
            const std::optional<int32_t> decoded = java_decode_int(value);
            if (!decoded) {
                problem = "needs a color (#RRGGBB)";
                return std::nullopt;
            }
            const uint32_t rgb = static_cast<uint32_t>(*decoded) & 0xFFFFFFu;
            return Json(static_cast<int32_t>((rgb << 8) | 0xFFu));
        }
    }
    problem = "has an unknown kind";
    return std::nullopt;
}

}  // namespace

bool apply_widget_property(Widget& w, std::string_view property, std::string_view value,
                           std::string& error) {
    const PropertyRule* rule = find_rule(property);
    if (!rule) {
        error = "unknown widget property";
        return false;
    }
    try {
        std::string problem;
        std::optional<Json> converted = convert(rule->kind, value, problem);
        if (!converted) {
            error = "widget property \"" + std::string(rule->name) + "\" " + problem;
            return false;
        }
        std::optional<Json> json = parse_json_text(w.json);
        if (!json || !json->is_object()) {
            error = "stored widget is not a JSON object";
            return false;
        }
        if (w.type == "STYLED_BUTTON" && !rule->button_state.empty()) {
            // Java ignored these when the state object was missing, and still answered OK.
            auto state = json->find(rule->button_state);
            if (state != json->end() && state->is_object()) {
                (*state)[std::string(rule->button_state_field)] = std::move(*converted);
            }
        } else {
            (*json)[std::string(rule->name)] = std::move(*converted);
            if (rule->name == "color") {
                if (auto is_default = json->find("isDefaultColor"); is_default != json->end()) {
                    *is_default = false;
                }
            }
        }
        std::optional<Widget> updated = read_widget(*json, error);
        if (!updated) return false;
        w = std::move(*updated);
        return true;
    } catch (const std::exception& e) {  // allocation failure; nothing else throws here
        error = std::string("widget property could not be set: ") + e.what();
        return false;
    }
}

}  // namespace blynk::model
