#include "server/http/routes.hpp"

#include <array>

namespace blynk::http {
namespace {

constexpr std::array kRoutes = {
    RouteSpec{"GET", "/api/openapi.json", Endpoint::OpenApi},
    RouteSpec{"GET", "/{token}/get/{pin}", Endpoint::GetPin},
    RouteSpec{"GET", "/{token}/update/{pin}", Endpoint::UpdatePinQuery},
    RouteSpec{"PUT", "/{token}/update/{pin}", Endpoint::UpdatePinJson},
    RouteSpec{"PUT", "/{token}/pin/{pin}", Endpoint::UpdatePinJson},
    RouteSpec{"PUT", "/{token}/extra/pin/{pin}", Endpoint::UpdateExtraPin},
    RouteSpec{"GET", "/{token}/isHardwareConnected", Endpoint::IsHardwareConnected},
    RouteSpec{"GET", "/{token}/isAppConnected", Endpoint::IsAppConnected},
    RouteSpec{"GET", "/{token}/project", Endpoint::Project},
    RouteSpec{"GET", "/{token}/rtc", Endpoint::Rtc},
    RouteSpec{"POST", "/{token}/notify", Endpoint::Notify},
    RouteSpec{"POST", "/{token}/email", Endpoint::Email},
    RouteSpec{"GET", "/{token}/data/{pin}", Endpoint::PinData},
    RouteSpec{"GET", "/{token}/history/{pin}", Endpoint::PinHistory},
    RouteSpec{"GET", "/{token}/events", Endpoint::Events},
};

/// Splits a pattern into its segments ("{token}", "get", "{pin}").
std::vector<std::string_view> pattern_segments(std::string_view pattern) {
    std::vector<std::string_view> out;
    size_t start = 1;
    while (start <= pattern.size()) {
        size_t end = pattern.find('/', start);
        if (end == std::string_view::npos) end = pattern.size();
        out.push_back(pattern.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

/// kRoutes' patterns split into segments, once: a request only compares.
const std::vector<std::vector<std::string_view>>& route_segments() {
    static const auto split = [] {
        std::vector<std::vector<std::string_view>> out;
        for (const RouteSpec& route : kRoutes)
            out.push_back(pattern_segments(route.pattern));
        return out;
    }();
    return split;
}

}  // namespace

std::span<const RouteSpec> route_table() {
    return kRoutes;
}

RouteMatch match_route(std::string_view method, const std::vector<std::string>& segments) {
    if (method == "HEAD") method = "GET";
    for (size_t r = 0; r < kRoutes.size(); ++r) {
        const RouteSpec& route = kRoutes[r];
        if (route.method != method) continue;
        const auto& pattern = route_segments()[r];
        if (pattern.size() != segments.size()) continue;
        RouteMatch m;
        bool ok = true;
        for (size_t i = 0; i < pattern.size() && ok; ++i) {
            if (pattern[i] == "{token}") {
                m.token = segments[i];
            } else if (pattern[i] == "{pin}") {
                m.pin = segments[i];
            } else {
                ok = pattern[i] == segments[i];
            }
        }
        if (ok) {
            m.endpoint = route.endpoint;
            return m;
        }
    }
    return {};
}

}  // namespace blynk::http
