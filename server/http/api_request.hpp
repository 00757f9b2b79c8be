#pragma once
// A REST API request taken apart and checked before anything is looked up: the request target,
// the route, the query parameters and the JSON body. Pure; api.hpp runs the call over the hub.

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/http/routes.hpp"
#include "server/http/url.hpp"

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

/// Responses of the Java server's shapes.
ApiResponse text_error(unsigned status, std::string text);
ApiResponse json_ok(std::string json);

/// What a request asks for, parsed and checked before its token is looked up.
struct ApiCall {
    RouteMatch route;
    Target target;
    std::vector<std::string> values;       ///< writes
    std::string property, property_value;  ///< property updates
    nlohmann::json body;                   ///< notify, email
};

/// The call `request` makes, or the answer it gets without one: 400 for a malformed target or
/// query, 404 for no route, 400/500 (the Java server's texts) for a missing value or a body that
/// is not the JSON its endpoint takes. The token and the pin are checked by the caller.
std::variant<ApiCall, ApiResponse> parse_api_call(const ApiRequest& request);

}  // namespace blynk::http
