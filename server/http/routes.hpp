#pragma once
// The REST routes of the Java server: one table (also checked against docs/openapi.json) and a
// pure matcher from method + decoded path segments to an endpoint and its path parameters.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace blynk::http {

enum class Endpoint {
    NotFound,
    GetPin,               ///< GET /{token}/get/{pin}
    UpdatePinQuery,       ///< GET /{token}/update/{pin}?value=... or ?<property>=...
    UpdatePinJson,        ///< PUT /{token}/update/{pin} and PUT /{token}/pin/{pin}
    UpdateExtraPin,       ///< PUT /{token}/extra/pin/{pin}
    IsHardwareConnected,  ///< GET /{token}/isHardwareConnected
    IsAppConnected,       ///< GET /{token}/isAppConnected
    Project,              ///< GET /{token}/project
    Rtc,                  ///< GET /{token}/rtc
    Notify,               ///< POST /{token}/notify
    Email,                ///< POST /{token}/email
    PinData,              ///< GET /{token}/data/{pin}: gzipped CSV (history_api.hpp)
    PinHistory,           ///< GET /{token}/history/{pin}?from&to&resolution: JSON
    Events,               ///< GET /{token}/events?limit=N
    OpenApi,              ///< GET /api/openapi.json
};

struct RouteSpec {
    std::string_view method;
    std::string_view pattern;  ///< OpenAPI form: "/{token}/get/{pin}"
    Endpoint endpoint;
};

/// Every route, in matching order.
std::span<const RouteSpec> route_table();

struct RouteMatch {
    Endpoint endpoint = Endpoint::NotFound;
    std::string token;  ///< {token}
    std::string pin;    ///< {pin}, as written ("V1")
};

/// Matches decoded path segments. HEAD is matched as GET.
RouteMatch match_route(std::string_view method, const std::vector<std::string>& segments);

}  // namespace blynk::http
