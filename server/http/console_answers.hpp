#pragma once
// The JSON answers of the console's APIs (sign-in and admin): never cached, never shared with
// other sites.

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "server/http/api.hpp"

namespace blynk::http {

ApiResponse console_json(unsigned status, const nlohmann::json& body);
/// {"error": text}
ApiResponse console_error(unsigned status, std::string_view text);

}  // namespace blynk::http
