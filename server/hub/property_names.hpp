#pragma once
// The widget property names a device (SET_WIDGET_PROPERTY) and the REST API may set. Pure.

#include <optional>
#include <span>
#include <string_view>

namespace blynk::hub::handlers {

/// Canonical property name for a lenient spelling ("isonplay" -> "isOnPlay"); nullopt if unknown.
std::optional<std::string_view> canonical_property(std::string_view name);
/// Every widget property, in the Java server's enum order (the REST API sets the first found).
std::span<const std::string_view> known_properties();

}  // namespace blynk::hub::handlers
