#pragma once
// The REST API of the Java server over the hub: same paths, status codes and error texts.
// Requests are parsed and checked first (no state touched), then run on the token owner's strand.

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "server/hub/hub.hpp"

namespace blynk::http {

struct ApiRequest {
    std::string method;
    std::string target;  ///< path and query as received
    std::string content_type;
    std::string body;
};

struct ApiResponse {
    ApiResponse() = default;
    ApiResponse(unsigned status, std::string content_type, std::string body)
        : status(status), content_type(std::move(content_type)), body(std::move(body)) {}

    unsigned status = 200;
    std::string content_type;  ///< empty = none (empty 200s, as the Java server)
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  ///< further header fields
    bool any_origin = true;  ///< Access-Control-Allow-Origin: * (the REST API; not the console)
};

class Api {
public:
    /// Writes (pin values and properties) with one token are limited to `writes_per_second`
    /// (user.message.quota.limit), as a device connection's messages are.
    Api(hub::Hub& hub, uint32_t writes_per_second)
        : hub_(hub), writes_per_second_(writes_per_second) {}

    /// Answers `request`; `done` runs exactly once, on any thread.
    void handle(const ApiRequest& request, std::function<void(ApiResponse)> done);

private:
    hub::Hub& hub_;
    const uint32_t writes_per_second_;
};

/// A JSON array of strings from device values: escaped properly (quotes, control bytes, NUL),
/// invalid UTF-8 replaced, so that any stored bytes give valid JSON.
std::string json_string_array(const std::vector<std::string>& values);

/// Responses of the Java server's shapes.
ApiResponse text_error(unsigned status, std::string text);
ApiResponse json_ok(std::string json);

}  // namespace blynk::http
