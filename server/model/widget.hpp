#pragma once
// Reading a widget from the JSON the app sends. The widget is kept whole (unknown types and fields
// survive); only the fields the server acts on are read out (server-surface.md §7.1).

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "server/model/user.hpp"

namespace blynk::model {

/// Parses one widget object. On success the result's `json` is the object in compact form with
/// its fields in the order sent. nullopt with `error` set when the text is not a JSON object
/// (including invalid UTF-8 and nesting deeper than kMaxJsonDepth), has no integer "id", or a
/// field the server reads has the wrong type or an impossible value. Never throws.
std::optional<Widget> parse_widget(std::string_view text, std::string& error);

/// parse_widget for an already parsed value (one element of a dashboard's "widgets"). Named
/// apart from parse_widget because a std::string argument would convert to either.
std::optional<Widget> read_widget(const nlohmann::ordered_json& json, std::string& error);

/// The pin an object binds ({"pinType":"VIRTUAL","pin":5}: a one-pin widget or one element of a
/// widget's "pins"); nullopt when unbound (pin -1, a field missing or null) or malformed.
std::optional<PinKey> bound_pin(const nlohmann::ordered_json& object);

/// "VIRTUAL"/"DIGITAL"/"ANALOG" (the JSON pinType) to a pin type; nullopt for anything else.
std::optional<PinType> pin_type_from_name(std::string_view name);
/// The JSON pinType name of a pin type.
std::string_view pin_type_name(PinType type);

}  // namespace blynk::model
