#pragma once
// An Eventor rule's condition on its trigger pin's value, with the Java names ("GT", "BETWEEN",
// ...) and meanings: numbers compare as doubles (a value that is not a number matches only
// "NEQ" and "NOT_BETWEEN", as NaN did in Java), strings compare exactly.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace blynk::automation {

struct Condition {
    enum class Kind {
        Greater,
        GreaterOrEqual,
        Less,
        LessOrEqual,
        Equal,
        NotEqual,
        Between,
        NotBetween,
        Changed,
        TextEqual,
        TextNotEqual
    };
    Kind kind = Kind::Greater;
    double value = 0, left = 0, right = 0;
    std::string text;  ///< the string compared with (TextEqual, TextNotEqual)

    /// Whether `in` satisfies the condition. Changed compares with `previous`, the value the
    /// trigger pin had before this write (nullopt: none).
    bool matches(std::string_view in, const std::optional<std::string>& previous) const;
};

/// The condition of a rule's "condition" object; nullopt for an unknown type or missing fields.
std::optional<Condition> read_condition(const nlohmann::ordered_json& json);

/// A pin value as a number the way Java's NumberUtil read it; NaN when it is not one.
double value_as_number(std::string_view value);

}  // namespace blynk::automation
