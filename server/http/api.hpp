#pragma once
// The REST API of the Java server over the hub: same paths, status codes and error texts.
// Requests are parsed and checked first (no state touched), then run on the token owner's strand.

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "server/http/api_request.hpp"
#include "server/http/history_api.hpp"
#include "server/hub/hub.hpp"

namespace blynk::http {

class Api {
public:
    /// Writes (pin values and properties) with one token are limited to `writes_per_second`
    /// (user.message.quota.limit), as a device connection's messages are.
    Api(hub::Hub& hub, uint32_t writes_per_second)
        : hub_(hub), history_(hub), writes_per_second_(writes_per_second) {}

    /// Answers `request`; `done` runs exactly once, on any thread.
    void handle(const ApiRequest& request, std::function<void(ApiResponse)> done);

private:
    hub::Hub& hub_;
    HistoryApi history_;
    const uint32_t writes_per_second_;
};

/// A JSON array of strings from device values: escaped properly (quotes, control bytes, NUL),
/// invalid UTF-8 replaced, so that any stored bytes give valid JSON.
std::string json_string_array(const std::vector<std::string>& values);

}  // namespace blynk::http
