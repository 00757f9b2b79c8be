#pragma once
// Where a Java blynk-server profile keeps the latest pin values (server-surface.md §7.2), read
// into the devices of a parsed dashboard:
//  - in widgets: a one-pin widget's "value", each "pins" element's "value", and each Device Tiles
//    tile's "dataStream" "value";
//  - in the dashboard's own "pinsStorage" (servers before late 2018): keys
//    "<deviceId>-<t><pin>" for values and "<deviceId>-<t><pin>-<property>" for properties;
//  - in the profile's "pinsStorage" (later servers): the same keys with "<dashId>-" in front.
// A storage value is a string, or {"type":"TERMINAL|LCD|TABLE","values":[...]} of which the
// newest (last) entry is the pin's value.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/model/user.hpp"

namespace blynk::java_import {

/// Sets the pin values and properties `dash_json` (a Java dashboard) and `profile_storage` (the
/// profile's "pinsStorage", or null) hold for `dash` into dash's devices' `pins` and
/// `properties`. Widget values win over stored ones, and the profile's storage over the
/// dashboard's (the Java server moved the latter into the former when it loaded a profile).
/// Values for a device the dashboard does not have (a device selector or tag target) and keys
/// that cannot be read are left out with one line each in `notes`.
void collect_pin_values(const nlohmann::ordered_json& dash_json,
                        const nlohmann::ordered_json* profile_storage, model::Dashboard& dash,
                        std::vector<std::string>& notes);

}  // namespace blynk::java_import
