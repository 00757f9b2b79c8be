#include "server/http/api.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "server/http/openapi.hpp"
#include "server/http/routes.hpp"
#include "server/http/url.hpp"
#include "server/hub/handlers.hpp"
#include "server/hub/operations.hpp"

namespace blynk::http {
namespace {

using nlohmann::json;

std::string dump(const json& j) {
    // Values are device bytes: never let invalid UTF-8 break the answer.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> split_nul(const std::string& value) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        size_t pos = value.find('\0', start);
        out.push_back(
            value.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
        if (pos == std::string::npos) break;
        start = pos + 1;
    }
    return out;
}

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

/// What a request asks for, parsed and checked before the token is looked up.
struct Parsed {
    RouteMatch route;
    Target target;
    std::vector<std::string> values;       // writes
    std::string property, property_value;  // property updates
    json body;                             // notify, email
};

std::optional<ApiResponse> parse_parameters(const ApiRequest& req, Parsed& p) {
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

std::string string_field(const json& j, const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json project_json(hub::UserState& user, int dash_id) {
    json devices = json::array();
    for (const auto& [ref, entry] : user.devices()) {
        if (ref.dash_id != dash_id) continue;
        devices.push_back({{"id", entry.device.id},
                           {"name", entry.device.name},
                           {"boardType", entry.device.board_type}});
    }
    const model::Dashboard* dash = user.dashboard(dash_id);
    return {{"id", dash_id},
            {"name", dash ? dash->name : std::string()},
            {"isActive", dash && dash->active},
            {"widgets", json::array()},
            {"devices", devices}};
}

bool is_write(Endpoint e) {
    return e == Endpoint::UpdatePinQuery || e == Endpoint::UpdatePinJson ||
           e == Endpoint::UpdateExtraPin;
}

/// A write over the token's quota: 429, with the device's meter (the hardware connection's
/// kind), logged at most once a minute per device.
std::optional<ApiResponse> over_write_quota(hub::UserState& user, hub::DeviceRef device,
                                            hub::DeviceEntry& entry, uint32_t per_second) {
    if (!entry.rest_quota) entry.rest_quota = std::make_unique<hub::QuotaMeter>(per_second);
    hub::QuotaMeter& quota = *entry.rest_quota;
    const auto now = hub::QuotaMeter::Clock::now();
    if (quota.try_consume(now)) return std::nullopt;
    if (quota.should_warn(now)) {
        spdlog::warn(
            "REST writes over user.message.quota.limit ({}/s) for user={} device={} '{}': "
            "answered 429 ({} so far; logged at most once a minute)",
            per_second, user.email(), device.str(), entry.device.name, quota.dropped());
    }
    ApiResponse r = text_error(
        429, fmt::format("Too many requests. Writes with this token are limited to {} per second.",
                         per_second));
    r.headers.emplace_back("Retry-After", "1");
    return r;
}

/// Runs on the user's strand.
ApiResponse run(hub::UserState& user, hub::DeviceRef device, const Parsed& p,
                std::optional<model::PinKey> pin, uint32_t writes_per_second) {
    hub::DeviceEntry* entry = user.find(device);
    if (!entry) return text_error(400, "Invalid token.");
    if (is_write(p.route.endpoint)) {
        if (auto refused = over_write_quota(user, device, *entry, writes_per_second)) {
            return std::move(*refused);
        }
    }
    switch (p.route.endpoint) {
        case Endpoint::GetPin: {
            auto it = entry->device.pins.find(*pin);
            if (it == entry->device.pins.end()) {
                return text_error(400, "Requested pin doesn't exist in the app.");
            }
            return json_ok(json_string_array(split_nul(it->second)));
        }
        case Endpoint::UpdatePinQuery:
            if (p.values.empty()) {
                hub::ops::server_property(user, device, hub::ops::kServerWriteId, pin->pin,
                                          p.property, p.property_value);
                return {};
            }
            [[fallthrough]];
        case Endpoint::UpdatePinJson:
            hub::ops::server_write(
                user, device, hub::ops::kServerWriteId, *pin,
                proto::join(std::vector<std::string_view>(p.values.begin(), p.values.end())));
            return {};
        case Endpoint::UpdateExtraPin:
            // No history is kept yet: the first point becomes the current value, as in Java.
            hub::ops::server_write(user, device, hub::ops::kServerWriteId, *pin, p.values.front());
            return {};
        case Endpoint::IsHardwareConnected:
            return json_ok(entry->online() ? "true" : "false");
        case Endpoint::IsAppConnected:
            return json_ok(user.apps().empty() ? "false" : "true");
        case Endpoint::Project:
            return json_ok(dump(project_json(user, device.dash_id)));
        case Endpoint::Rtc:  // as the hardware rtc: the RTC widget's zone, UTC without one
            return json_ok(
                dump(json::array({std::to_string(hub::ops::rtc_seconds(user, device))})));
        case Endpoint::Notify: {
            std::string text = string_field(p.body, "body");
            if (text.empty() || text.size() > 255) {
                return text_error(400, "Body is empty or larger than 255 chars.");
            }
            return text_error(400, "No notification widget.");  // no push channel configured
        }
        case Endpoint::Email:
            if (string_field(p.body, "to").empty() || string_field(p.body, "subj").empty()) {
                return text_error(400,
                                  "Email body is wrong. Missing or empty fields 'to', 'subj'.");
            }
            return text_error(400, "No email widget.");  // no mail channel configured
        default:
            return text_error(404, "");
    }
}

bool needs_pin(Endpoint e) {
    return e == Endpoint::GetPin || e == Endpoint::UpdatePinQuery || e == Endpoint::UpdatePinJson ||
           e == Endpoint::UpdateExtraPin;
}

}  // namespace

std::string json_string_array(const std::vector<std::string>& values) {
    return dump(json(values));
}

ApiResponse text_error(unsigned status, std::string text) {
    return {status, text.empty() ? std::string() : "text/plain;charset=utf-8", std::move(text)};
}

ApiResponse json_ok(std::string body) {
    return {200, "application/json;charset=utf-8", std::move(body)};
}

void Api::handle(const ApiRequest& req, std::function<void(ApiResponse)> done) {
    Parsed p;
    auto target = parse_target(req.target);
    if (!target) return done(text_error(400, "Malformed request target."));
    p.target = std::move(*target);
    p.route = match_route(req.method, p.target.segments);
    if (p.route.endpoint == Endpoint::NotFound) return done({404, "", ""});
    if (p.route.endpoint == Endpoint::OpenApi) return done(json_ok(std::string(openapi_json())));
    if (auto error = parse_parameters(req, p)) return done(std::move(*error));

    auto owner = hub_.find_token(p.route.token);
    if (!owner) return done(text_error(400, "Invalid token."));
    std::optional<model::PinKey> pin;
    if (needs_pin(p.route.endpoint)) {
        pin = model::parse_pin_key(p.route.pin);
        if (!pin) return done(text_error(400, "Wrong pin format."));
    }
    boost::asio::post(
        owner->user->executor(),
        [owner = *owner, p = std::move(p), pin, per_second = writes_per_second_,
         done = std::move(done)] { done(run(*owner.user, owner.device, p, pin, per_second)); });
}

}  // namespace blynk::http
