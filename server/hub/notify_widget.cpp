#include "server/hub/notify_widget.hpp"

#include <nlohmann/json.hpp>

namespace blynk::hub {

std::optional<NotifyChannels> notify_channels(const model::Dashboard& dash) {
    for (const auto& widget : dash.widgets) {
        if (widget.type != kNotificationWidget) continue;
        NotifyChannels channels;
        // The JSON was checked when the widget was stored; a failure here leaves the defaults.
        const auto json = nlohmann::json::parse(widget.json, nullptr, false);
        if (!json.is_object()) return channels;
        if (auto it = json.find("webConsole"); it != json.end() && it->is_boolean()) {
            channels.console = it->get<bool>();
        }
        if (auto it = json.find("emailTo"); it != json.end() && it->is_string()) {
            channels.email_to = it->get<std::string>();
        }
        if (auto it = json.find("webhookUrl"); it != json.end() && it->is_string()) {
            channels.webhook_url = it->get<std::string>();
        }
        if (auto it = json.find("notifyWhenOffline"); it != json.end() && it->is_boolean()) {
            channels.when_offline = it->get<bool>();
        }
        if (auto it = json.find("notifyWhenOfflineIgnorePeriod");
            it != json.end() && it->is_number_integer() && it->get<int64_t>() > 0) {
            channels.offline_delay_ms = it->get<int64_t>();
        }
        return channels;
    }
    return std::nullopt;
}

}  // namespace blynk::hub
