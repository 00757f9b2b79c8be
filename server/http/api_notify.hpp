#pragma once
// REST POST /{token}/notify: hub::ops::notify with the Java server's answers as text.

#include <string_view>

#include "server/http/api_request.hpp"
#include "server/hub/user_state.hpp"

namespace blynk::http {

/// Runs on the user's strand.
ApiResponse notify_answer(hub::UserState& user, hub::DeviceRef device, std::string_view text);

}  // namespace blynk::http
