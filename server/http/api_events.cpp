#include "server/http/api_events.hpp"

#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

namespace blynk::http {
namespace {

/// ?limit=1..kMaxEventLimit, once; absent gives the default; nullopt for anything else.
std::optional<size_t> requested_limit(const Target& target) {
    const auto values = query_values(target, "limit");
    if (values.empty()) return kDefaultEventLimit;
    if (values.size() != 1) return std::nullopt;
    const std::string& text = values.front();
    size_t limit = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc{} || end != text.data() + text.size() || limit == 0 ||
        limit > kMaxEventLimit) {
        return std::nullopt;
    }
    return limit;
}

}  // namespace

void list_events(hub::Persistence& persistence, const hub::TokenTarget& owner, const ApiCall& call,
                 std::function<void(ApiResponse)> done) {
    const auto limit = requested_limit(call.target);
    if (!limit) {
        return done(text_error(400, "Wrong limit: expected a whole number from 1 to " +
                                        std::to_string(kMaxEventLimit) + "."));
    }
    persistence.device_events(
        owner.user->email(), owner.device, *limit,
        [done = std::move(done)](std::optional<std::vector<model::DeviceEvent>> events,
                                 std::string error) {
            if (!events) return done(text_error(500, "The event log could not be read: " + error));
            nlohmann::json items = nlohmann::json::array();
            for (const auto& e : *events) {
                items.push_back(
                    {{"name", e.name}, {"description", e.description}, {"time_ms", e.time_ms}});
            }
            // Event names come from devices: invalid UTF-8 must not break the answer.
            done(json_ok(items.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
        });
}

}  // namespace blynk::http
