#include "server/http/api_request.hpp"

#include "server/hub/property_names.hpp"

namespace blynk::http {
namespace {

using nlohmann::json;

/// A JSON array body of strings or numbers (PUT update). nullopt: not parseable.
std::optional<std::vector<std::string>> parse_value_array(const std::string& body) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_array()) return std::nullopt;
    std::vector<std::string> values;
    for (const auto& v : j) {
        if (v.is_string())
            values.push_back(v.get<std::string>());
        else if (v.is_number() || v.is_boolean())
            values.push_back(v.dump());
        else
            return std::nullopt;
    }
    return values;
}

bool is_json(const std::string& content_type) {
    return content_type.find("application/json") != std::string::npos;
}

std::optional<ApiResponse> parse_parameters(const ApiRequest& req, ApiCall& p) {
    switch (p.route.endpoint) {
        case Endpoint::UpdatePinQuery: {
            p.values = query_values(p.target, "value");
            if (!p.values.empty()) return std::nullopt;
            for (auto name : hub::handlers::known_properties()) {  // the first known one wins
                auto v = query_values(p.target, name);
                if (!v.empty()) {
                    p.property = name;
                    p.property_value = v.front();
                    return std::nullopt;
                }
            }
            return text_error(400, "Wrong request format.");
        }
        case Endpoint::UpdatePinJson:
        case Endpoint::UpdateExtraPin: {
            if (!is_json(req.content_type)) {
                return text_error(500, "Unexpected content type. Expecting application/json.");
            }
            if (p.route.endpoint == Endpoint::UpdatePinJson) {
                auto values = parse_value_array(req.body);
                if (!values) return text_error(500, "Error parsing body param. " + req.body);
                p.values = std::move(*values);
                if (p.values.empty()) return text_error(400, "No pin for update provided.");
                return std::nullopt;
            }
            json j = json::parse(req.body, nullptr, false);
            if (j.is_discarded() || !j.is_array()) {
                return text_error(500, "Error parsing body param. " + req.body);
            }
            for (const auto& point : j) {
                if (!point.is_object() || !point.contains("value")) {
                    return text_error(500, "Error parsing body param. " + req.body);
                }
                const auto& v = point["value"];
                p.values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
            }
            if (p.values.empty()) return text_error(400, "No pin for update provided.");
            return std::nullopt;
        }
        case Endpoint::Notify:
        case Endpoint::Email: {
            if (!is_json(req.content_type)) {
                return text_error(500, "Unexpected content type. Expecting application/json.");
            }
            p.body = json::parse(req.body, nullptr, false);
            if (p.body.is_discarded() || !p.body.is_object()) {
                return text_error(500, "Error parsing body param. " + req.body);
            }
            return std::nullopt;
        }
        default:
            return std::nullopt;
    }
}

}  // namespace

ApiResponse text_error(unsigned status, std::string text) {
    return {status, text.empty() ? std::string() : "text/plain;charset=utf-8", std::move(text)};
}

ApiResponse json_ok(std::string body) {
    return {200, "application/json;charset=utf-8", std::move(body)};
}

std::variant<ApiCall, ApiResponse> parse_api_call(const ApiRequest& req) {
    ApiCall p;
    auto target = parse_target(req.target);
    if (!target) return text_error(400, "Malformed request target.");
    p.target = std::move(*target);
    p.route = match_route(req.method, p.target.segments);
    if (p.route.endpoint == Endpoint::NotFound) return ApiResponse{404, "", ""};
    if (auto error = parse_parameters(req, p)) return std::move(*error);
    return p;
}

}  // namespace blynk::http
