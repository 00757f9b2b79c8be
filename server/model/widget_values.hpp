#pragma once
// Live pin values into a widget's stored JSON text, without building a DOM: the model's writers
// copy most of a profile as stored text, and a profile with 50 valued widgets should still be
// written in tens of microseconds. Internal to server/model (profile_write.cpp).

#include <string>
#include <string_view>

#include "server/model/user.hpp"

namespace blynk::model {

/// Appends `widget_json` (a JSON object, as parse_widget stores it) with "value" set, for the
/// object itself and for each object in its "pins" array, wherever that object binds a pin
/// ({"pinType":"VIRTUAL","pin":5}) that `device` has a value for. An existing "value" member is
/// replaced in place; a missing one is added as the object's last member. Other bytes are copied
/// as they are. Text that is not a well-formed object is copied unchanged.
void append_widget_with_values(std::string& out, std::string_view widget_json,
                               const Device& device);

}  // namespace blynk::model
