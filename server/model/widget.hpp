#pragma once
// Reading a widget from the JSON the app sends. The widget is kept whole (unknown types and fields
// survive); only the fields the server acts on are read out (server-surface.md §7.1).

#include <optional>
#include <string>
#include <string_view>

#include "server/model/user.hpp"

namespace blynk::model {

/// Parses one widget object. On success the result's `json` is the object in compact form with
/// its fields in the order sent. nullopt with `error` set when the text is not a JSON object, has
/// no integer "id", or a field the server reads has the wrong type.
std::optional<Widget> parse_widget(std::string_view text, std::string& error);

/// "VIRTUAL"/"DIGITAL"/"ANALOG" (the JSON pinType) to a pin type; nullopt for anything else.
std::optional<PinType> pin_type_from_name(std::string_view name);
/// The JSON pinType name of a pin type.
std::string_view pin_type_name(PinType type);

}  // namespace blynk::model
