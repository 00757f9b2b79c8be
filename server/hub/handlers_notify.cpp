#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "common/util/clock.hpp"
#include "server/hub/handlers.hpp"
#include "server/hub/mail.hpp"
#include "server/hub/notify.hpp"
#include "server/logging/peer_lines.hpp"

namespace blynk::hub::handlers {
namespace {

/// Body length limits of the Java server (tweet 140, SMS 160 characters; push: notify_rules).
size_t max_text(uint8_t command) {
    switch (command) {
        case proto::cmd::kTweet:
            return 140;
        case proto::cmd::kSms:
            return 160;
        default:
            return 255;
    }
}

}  // namespace

void notification(HardwareConnection& conn, const proto::FrameView& frame) {
    if (frame.command == proto::cmd::kPushNotification) {
        conn.link.send_response(frame.id, ops::notify(*conn.user, conn.device, frame.body));
        return;
    }
    if (frame.command == proto::cmd::kEmail) {
        conn.link.send_response(frame.id, mail::from_device(*conn.user, conn.device, frame.body));
        return;
    }
    if (frame.body.empty() || frame.body.size() > max_text(frame.command)) {
        conn.link.send_response(frame.id, proto::status::kNotificationInvalidBody);
        return;
    }
    // No delivery channel (mail, SMS, Twitter) is configured in this server yet: the device is
    // told so at once, with the status the Java server used for "not set up".
    logging::peer_log(logging::PeerLine::Notification, spdlog::level::info,
                      "{} from {} not delivered: notifications are not configured",
                      proto::command_name(frame.command), conn.link.repr());
    conn.link.send_response(frame.id, proto::status::kNotificationNotAuthorized);
}

void event_log(HardwareConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<2>(frame.body);
    if (f.count == 0 || f.field[0].empty()) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommand);
        return;
    }
    model::DeviceEvent event{std::string(f.field[0]),
                             f.count > 1 ? std::string(f.field[1]) : std::string(), util::now_ms()};
    // {:?} quotes and escapes: device text must not forge log lines or terminal sequences.
    logging::peer_log(logging::PeerLine::DeviceEvent, spdlog::level::info, "event {:?} from {}",
                      std::string_view(event.name), conn.link.repr());
    // Open console pages show the device's event list live: name and description.
    std::string payload = event.name;
    payload.push_back('\0');
    payload.append(event.description);
    ops::send_to_console(*conn.user, conn.device, proto::cmd::kEventLog, payload);
    conn.user->log_event(conn.device, std::move(event));
}

void debug_print(HardwareConnection& conn, const proto::FrameView& frame) {
    logging::peer_log(logging::PeerLine::DeviceText, spdlog::level::info, "device says: {:?} ({})",
                      frame.body, conn.link.repr());
}

}  // namespace blynk::hub::handlers
