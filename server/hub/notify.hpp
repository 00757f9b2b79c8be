#pragma once
// Notifications (hardware `notify`, REST `notify`, Eventor): checked as the Java server checked
// them, then delivered to every channel the dashboard's Notification widget enables (the web
// console's open pages, e-mail, a webhook). Push to phones needs the FCM/APNs keys only the Blynk
// company had: it is never sent, and the caller is answered as Java answered without them.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/hub/device_ref.hpp"

namespace blynk::hub {

class UserState;

/// Hub-wide notification settings, set at start-up before any session exists.
struct NotifySettings {
    /// notifications.frequency.user.quota.limit: one notification per device this often.
    std::chrono::milliseconds interval{std::chrono::seconds(5)};
};

namespace ops {

/// Sends `command` with `<dash>-<device>\0<payload>` to the user's open web console pages that
/// see the device's dashboard (mobile apps never got these commands from the Java server and
/// are left out); returns how many pages it went to.
size_t send_to_console(UserState& user, DeviceRef device, uint8_t command,
                       std::string_view payload);

/// Contract 3. Checks and delivers notification `text` from `device`, on the user's strand, and
/// returns the status its sender is answered with (Java's codes): 200 delivered;
/// 13 NOTIFICATION_INVALID_BODY empty or over 255 characters (also after {DEVICE_NAME} is
/// replaced by the device's name); 8 NO_ACTIVE_DASHBOARD; 14 NOTIFICATION_NOT_AUTHORIZED no
/// Notification widget, or one with every channel off (or the device is gone); 1 QUOTA_LIMIT
/// within `interval` of the device's previous notification.
uint8_t notify(UserState& user, DeviceRef device, std::string_view text);

/// The device's last connection closed: when its dashboard is active and the Notification
/// widget has "notifyWhenOffline", "Your <name> went offline." goes to the widget's channels, at
/// once or, with "notifyWhenOfflineIgnorePeriod" ms, then if the device is still offline. Not
/// counted against the notify limit (as in Java).
void notify_offline(UserState& user, DeviceRef device);

}  // namespace ops
}  // namespace blynk::hub
