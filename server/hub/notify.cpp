#include "server/hub/notify.hpp"

#include <memory>

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "common/util/clock.hpp"
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

namespace {

std::string_view accepted_name(Accepted accepted) {
    switch (accepted) {
        case Accepted::Queued:
            return "queued";
        case Accepted::NotConfigured:
            return "not configured";
        case Accepted::RateLimited:
            return "over the limit";
        case Accepted::Invalid:
            return "invalid address";
    }
    return "?";
}

/// The webhook's JSON: "text" is what Slack and Mattermost show, "title" and "message" what
/// Gotify and ntfy's JSON publishing take; the rest says where it came from.
std::string webhook_body(DeviceRef device, std::string_view device_name, std::string_view text) {
    const nlohmann::json body{{"title", device_name},
                              {"message", text},
                              {"text", std::string(device_name) + ": " + std::string(text)},
                              {"device", device_name},
                              {"dashId", device.dash_id},
                              {"deviceId", device.device_id},
                              {"time_ms", util::now_ms()}};
    // Device text may hold invalid UTF-8: replaced, never a broken body.
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// Hands the notification to the outbound worker (mail, webhook); returns what it said, for
/// the log line. Failures of the delivery itself are logged by the worker's callback.
std::string send_outbound(UserState& user, DeviceRef device, std::string_view device_name,
                          const NotifyChannels& channels, const std::string& text) {
    std::string said;
    if (!channels.email_to.empty()) {
        const Accepted accepted = user.outbound().send_mail(
            user.email(), MailMessage{channels.email_to,
                                      std::string(device_name) + ": notification", text, false});
        said += fmt::format(", mail {}", accepted_name(accepted));
    }
    if (!channels.webhook_url.empty()) {
        HttpCall call{"POST",
                      channels.webhook_url,
                      {{"Content-Type", "application/json"}},
                      webhook_body(device, device_name, text)};
        const Accepted accepted = user.outbound().send_http(
            user.email(), std::move(call),
            [email = user.email(), device, url = channels.webhook_url](HttpAnswer answer) {
                if (answer.error.empty() && answer.status >= 200 && answer.status < 300) return;
                spdlog::warn(
                    "notification webhook of user={} device={} to {} failed: {}", email,
                    device.str(), url,
                    answer.error.empty() ? fmt::format("HTTP {}", answer.status) : answer.error);
            });
        said += fmt::format(", webhook {}", accepted_name(accepted));
    }
    return said;
}

/// Sends `body` to every channel and logs what became of it.
void deliver(UserState& user, DeviceRef device, const std::string& name,
             const NotifyChannels& channels, const std::string& body) {
    const size_t pages =
        channels.console ? send_to_console(user, device, proto::cmd::kPushNotification, body) : 0;
    const std::string outbound = send_outbound(user, device, name, channels, body);
    logging::peer_log(logging::PeerLine::Notification, spdlog::level::info,
                      "notification from user={} device={} '{}': {:?} to {} console page(s){}",
                      user.email(), device.str(), name, std::string_view(body), pages, outbound);
}

/// The Java server's text for a device that went offline.
void deliver_offline(UserState& user, DeviceRef device) {
    const DeviceEntry* entry = user.find(device);
    const model::Dashboard* dash = user.dashboard(device.dash_id);
    if (!entry || entry->online() || !dash || !dash->active) return;
    const auto channels = notify_channels(*dash);
    if (!channels || !channels->when_offline) return;
    deliver(user, device, entry->device.name, *channels,
            with_device_name("Your {DEVICE_NAME} went offline.", entry->device.name));
}

}  // namespace

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
    deliver(user, device, entry->device.name, *channels, body);
    return proto::status::kOk;
}

void notify_offline(UserState& user, DeviceRef device) {
    const model::Dashboard* dash = user.dashboard(device.dash_id);
    const auto channels = dash ? notify_channels(*dash) : std::nullopt;
    if (!channels || !channels->when_offline) return;
    if (channels->offline_delay_ms == 0) return deliver_offline(user, device);
    // A board that reconnects within the period (a router restart) is not reported.
    auto timer = std::make_shared<boost::asio::steady_timer>(
        user.executor(), std::chrono::milliseconds(channels->offline_delay_ms));
    timer->async_wait(
        [user = user.shared_from_this(), device, timer](boost::system::error_code ec) {
            if (!ec) deliver_offline(*user, device);
        });
}

}  // namespace blynk::hub::ops
