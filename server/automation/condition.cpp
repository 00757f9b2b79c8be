#include "server/automation/condition.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

namespace blynk::automation {
namespace {

using Kind = Condition::Kind;

constexpr std::array<std::pair<std::string_view, Kind>, 11> kKinds = {{
    {"GT", Kind::Greater},
    {"GTE", Kind::GreaterOrEqual},
    {"LT", Kind::Less},
    {"LTE", Kind::LessOrEqual},
    {"EQ", Kind::Equal},
    {"NEQ", Kind::NotEqual},
    {"BETWEEN", Kind::Between},
    {"NOT_BETWEEN", Kind::NotBetween},
    {"CHANGED", Kind::Changed},
    {"STR_EQUAL", Kind::TextEqual},
    {"STR_NOT_EQUAL", Kind::TextNotEqual},
}};

std::optional<double> number_field(const nlohmann::ordered_json& json, const char* key) {
    auto it = json.find(key);
    if (it == json.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

}  // namespace

double value_as_number(std::string_view value) {
    double number = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty())
        return std::numeric_limits<double>::quiet_NaN();
    return number;
}

bool Condition::matches(std::string_view in, const std::optional<std::string>& previous) const {
    const double n = value_as_number(in);
    switch (kind) {
        case Kind::Greater:
            return n > value;
        case Kind::GreaterOrEqual:
            return n >= value;
        case Kind::Less:
            return n < value;
        case Kind::LessOrEqual:
            return n <= value;
        case Kind::Equal:
            return n == value;
        case Kind::NotEqual:
            return !(n == value);
        case Kind::Between:
            return left < n && n < right;
        case Kind::NotBetween:
            return !(left < n && n < right);
        case Kind::Changed:
            return !previous || *previous != in;
        case Kind::TextEqual:
            return in == text;
        case Kind::TextNotEqual:
            return in != text;
    }
    return false;
}

std::optional<Condition> read_condition(const nlohmann::ordered_json& json) {
    if (!json.is_object()) return std::nullopt;
    auto type = json.find("type");
    if (type == json.end() || !type->is_string()) return std::nullopt;
    Condition c;
    bool known = false;
    for (const auto& [name, kind] : kKinds) {
        if (*type == name) {
            c.kind = kind;
            known = true;
        }
    }
    if (!known) return std::nullopt;
    switch (c.kind) {
        case Kind::Between:
        case Kind::NotBetween: {
            auto left = number_field(json, "left");
            auto right = number_field(json, "right");
            if (!left || !right) return std::nullopt;
            c.left = *left;
            c.right = *right;
            return c;
        }
        case Kind::Changed:
            return c;
        case Kind::TextEqual:
        case Kind::TextNotEqual: {
            auto value = json.find("value");
            if (value == json.end() || !value->is_string()) return std::nullopt;
            c.text = value->get<std::string>();
            return c;
        }
        default: {
            auto value = number_field(json, "value");
            if (!value) return std::nullopt;
            c.value = *value;
            return c;
        }
    }
}

}  // namespace blynk::automation
