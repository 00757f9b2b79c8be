#pragma once
#include <string_view>

namespace blynk::http {

/// docs/openapi.json, compiled in (CMake generates the definition from the file).
std::string_view openapi_json();

}  // namespace blynk::http
