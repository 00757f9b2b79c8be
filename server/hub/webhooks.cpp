#include "server/hub/webhooks.hpp"

#include <atomic>
#include <ctime>
#include <functional>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/proto/body.hpp"
#include "common/util/clock.hpp"
#include "server/hub/operations.hpp"

namespace blynk::hub::webhooks {
namespace {

std::atomic<uint32_t> failure_limit{10};

void replace_first(std::string& text, std::string_view what, std::string_view with) {
    const auto at = text.find(what);
    if (at != std::string::npos) text.replace(at, what.size(), with);
}

std::string now_iso() {
    const int64_t ms = util::now_ms();
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return fmt::format("{}.{:03}Z", buf, ms % 1000);
}

bool is_success(int status) {
    return status == 200 || status == 201 || status == 202 || status == 204 || status == 302;
}

/// The widget's call, read from its JSON; nullopt when it has no usable URL.
std::optional<HttpCall> read_call(const model::Widget& w) {
    const auto j = nlohmann::json::parse(w.json, nullptr, false);
    if (!j.is_object() || !j.contains("url") || !j["url"].is_string()) return std::nullopt;
    HttpCall call;
    call.url = j["url"].get<std::string>();
    if (j.contains("method") && j["method"].is_string()) call.method = j["method"];
    if (j.contains("body") && j["body"].is_string()) call.body = j["body"];
    if (j.contains("headers") && j["headers"].is_array()) {
        for (const auto& h : j["headers"]) {
            if (h.is_object() && h.contains("name") && h["name"].is_string() &&
                h.contains("value") && h["value"].is_string())
                call.headers.emplace_back(h["name"], h["value"]);
        }
    }
    return call;
}

}  // namespace

void set_failure_limit(uint32_t limit) {
    failure_limit = limit;
}

std::string fill_placeholders(std::string text, std::string_view value, std::string_view owner,
                              std::string_view now) {
    replace_first(text, "/pin/", value);
    const auto parts = proto::split_all(value);
    for (size_t i = std::min<size_t>(parts.size(), 10); i-- > 0;)
        replace_first(text, "/pin[" + std::to_string(i) + "]/", parts[i]);
    replace_first(text, "%s", value);
    replace_first(text, "/datetime_iso/", now);
    replace_first(text, "device_owner_email", owner);
    return text;
}

void pin_written(UserState& user, DeviceRef device, model::PinKey pin, std::string_view value) {
    const model::Dashboard* dash = user.dashboard(device.dash_id);
    if (!dash) return;
    const model::Widget* hook = nullptr;
    for (const auto& w : dash->widgets) {
        if (w.type == "WEBHOOK" && w.device_id == device.device_id && !w.pins.empty() &&
            w.pins.front() == pin) {
            hook = &w;
            break;
        }
    }
    if (!hook) return;
    // A changed widget starts counting afresh: failures are kept per version of its JSON.
    const size_t version = std::hash<std::string>{}(hook->json);
    uint32_t& failures = user.webhook_failures(version);
    const uint32_t limit = failure_limit;
    if (limit && failures >= limit) return;
    auto call = read_call(*hook);
    if (!call) return;
    const std::string now = now_iso();
    call->url = fill_placeholders(std::move(call->url), value, user.email(), now);
    // Java sent the body only along with a Content-Type header.
    bool typed = false;
    for (const auto& [name, v] : call->headers)
        typed |= name == "Content-Type";
    call->body =
        typed ? fill_placeholders(std::move(call->body), value, user.email(), now) : std::string();
    auto done = ops::answer_on<HttpAnswer>(
        user.shared_from_this(),
        [u = user.shared_from_this(), device, pin, version](HttpAnswer answer) {
            uint32_t& failed = u->webhook_failures(version);
            if (!answer.error.empty() || !is_success(answer.status)) {
                ++failed;
                return;
            }
            failed = 0;
            if (!answer.body.empty()) ops::write_to_device(*u, device, kAnswerId, pin, answer.body);
        });
    const auto accepted =
        user.outbound().send_http(user.email(), std::move(*call), std::move(done));
    if (accepted == Accepted::Invalid) ++failures;
}

}  // namespace blynk::hub::webhooks
