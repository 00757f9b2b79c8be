#pragma once
// Where a dashboard's notifications go, read from its Notification widget. The Java widget held
// only the phones' push tokens; blynkd adds fields for the channels a self-hoster controls (see
// docs/protocol.md "Notifications"): "webConsole" (default true), "emailTo", "webhookUrl".

#include <cstdint>
#include <optional>
#include <string>

#include "server/model/user.hpp"

namespace blynk::hub {

struct NotifyChannels {
    bool console = true;           ///< "webConsole": the user's open console pages
    std::string email_to;          ///< "emailTo": an address; empty = no mail
    std::string webhook_url;       ///< "webhookUrl": http(s) URL POSTed a JSON body; empty = none
    bool when_offline = false;     ///< "notifyWhenOffline": notify when the device goes offline
    int64_t offline_delay_ms = 0;  ///< "notifyWhenOfflineIgnorePeriod": only if still offline then
    bool any() const { return console || !email_to.empty() || !webhook_url.empty(); }
};

/// The widget type the app gives a Notification widget.
inline constexpr std::string_view kNotificationWidget = "NOTIFICATION";

/// The channels of the dashboard's (first) Notification widget; nullopt when it has none.
/// Fields of the wrong type count as absent.
std::optional<NotifyChannels> notify_channels(const model::Dashboard& dash);

}  // namespace blynk::hub
