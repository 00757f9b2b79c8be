#include "server/hub/notify.hpp"

#include <spdlog/spdlog.h>

#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "server/hub/notify_rules.hpp"
#include "server/hub/notify_widget.hpp"
#include "server/hub/user_state.hpp"
#include "server/logging/peer_lines.hpp"

namespace blynk::hub::ops {

size_t send_to_console(UserState& user, DeviceRef device, uint8_t command,
                       std::string_view payload) {
    std::string body = device.str();
    body.push_back('\0');
    body.append(payload);
    size_t pages = 0;
    for (AppConnection* app : user.apps()) {
        if (app->web_user.empty() || !app->logged_in() || !app->sees(device.dash_id)) continue;
        app->link.send(command, 0, body);
        ++pages;
    }
    return pages;
}

uint8_t notify(UserState& user, DeviceRef device, std::string_view text) {
    const DeviceEntry* entry = user.find(device);
    if (!entry) return proto::status::kNotificationNotAuthorized;
    if (!notify_body_ok(text)) return proto::status::kNotificationInvalidBody;
    const model::Dashboard* dash = user.dashboard(device.dash_id);
    if (!dash || !dash->active) return proto::status::kNoActiveDashboard;
    const auto channels = notify_channels(*dash);
    if (!channels || !channels->any()) return proto::status::kNotificationNotAuthorized;
    if (!user.notify_limiter().try_take(device, NotifyLimiter::Clock::now(),
                                        user.notify_settings().interval)) {
        return proto::status::kQuotaLimit;
    }
    const std::string body = with_device_name(text, entry->device.name);
    if (!notify_body_ok(body)) return proto::status::kNotificationInvalidBody;

    const size_t pages =
        channels->console ? send_to_console(user, device, proto::cmd::kPushNotification, body) : 0;
    logging::peer_log(logging::PeerLine::Notification, spdlog::level::info,
                      "notification from user={} device={} '{}': {:?} to {} console page(s)",
                      user.email(), device.str(), entry->device.name, std::string_view(body),
                      pages);
    return proto::status::kOk;
}

}  // namespace blynk::hub::ops
