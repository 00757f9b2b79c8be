#include "server/http/api.hpp"
#include "server/http/api_events.hpp"
#include "server/http/api_notify.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "server/http/openapi.hpp"
#include "server/http/routes.hpp"
#include "server/http/url.hpp"
#include "server/hub/handlers.hpp"
#include "server/hub/mail.hpp"
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
ApiResponse run(hub::UserState& user, hub::DeviceRef device, const ApiCall& p,
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
        case Endpoint::Notify:
            return notify_answer(user, device, string_field(p.body, "body"));
        case Endpoint::Email: {
            const std::string to = string_field(p.body, "to");
            const std::string subject = string_field(p.body, "subj");
            if (to.empty() || subject.empty()) {
                return text_error(400,
                                  "Email body is wrong. Missing or empty fields 'to', 'subj'.");
            }
            std::string refused =
                hub::mail::from_rest(user, device, to, subject, string_field(p.body, "title"));
            if (!refused.empty()) return text_error(400, std::move(refused));
            return {};
        }
        default:
            return text_error(404, "");
    }
}

bool needs_pin(Endpoint e) {
    return e == Endpoint::GetPin || e == Endpoint::UpdatePinQuery || e == Endpoint::UpdatePinJson ||
           e == Endpoint::UpdateExtraPin || e == Endpoint::PinData || e == Endpoint::PinHistory;
}

}  // namespace

std::string json_string_array(const std::vector<std::string>& values) {
    return dump(json(values));
}

void Api::handle(const ApiRequest& req, std::function<void(ApiResponse)> done) {
    auto parsed = parse_api_call(req);
    if (auto* answer = std::get_if<ApiResponse>(&parsed)) return done(std::move(*answer));
    auto& p = std::get<ApiCall>(parsed);
    if (p.route.endpoint == Endpoint::OpenApi) return done(json_ok(std::string(openapi_json())));

    auto owner = hub_.find_token(p.route.token);
    if (!owner) return done(text_error(400, "Invalid token."));
    if (p.route.endpoint == Endpoint::Events) {
        return list_events(hub_.persistence(), *owner, p, std::move(done));
    }
    std::optional<model::PinKey> pin;
    if (needs_pin(p.route.endpoint)) {
        pin = model::parse_pin_key(p.route.pin);
        if (!pin) return done(text_error(400, "Wrong pin format."));
    }
    if (p.route.endpoint == Endpoint::PinData || p.route.endpoint == Endpoint::PinHistory) {
        return history_.handle(p, *owner, *pin, std::move(done));
    }
    boost::asio::post(
        owner->user->executor(),
        [owner = *owner, p = std::move(p), pin, per_second = writes_per_second_,
         done = std::move(done)] { done(run(*owner.user, owner.device, p, pin, per_second)); });
}

}  // namespace blynk::http
