#include "server/hub/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "server/hub/handlers.hpp"
#include "server/hub/traffic.hpp"

namespace blynk::hub {

void Dispatcher::on_frame(HardwareConnection& conn, const proto::FrameView& frame,
                          QuotaMeter::Clock::time_point received) {
    count_received(Traffic::Hardware, frame.command);
    // The quota counts every frame, before and after login; an excess frame was already read
    // whole, so dropping it keeps the stream in sync (the Java server's decoder did not).
    if (!conn.quota.try_consume(received)) {
        count_quota_drop(Traffic::Hardware);
        if (conn.quota.should_warn(received)) {
            spdlog::warn("message quota exceeded, dropping frames ({})", conn.link.repr());
            if (frame.id != 0) conn.link.send_response(frame.id, proto::status::kQuotaLimit);
        }
        return;
    }
    const bool is_login =
        frame.command == proto::cmd::kHardwareLogin || frame.command == proto::cmd::kLogin;
    if (!conn.logged_in()) {
        if (is_login) {
            handlers::login(hub_, guesses_, conn, frame);
        } else {
            conn.link.close(fmt::format("{} before login", proto::command_name(frame.command)));
        }
        return;
    }
    if (is_login) {
        conn.link.send_response(frame.id, proto::status::kUserAlreadyRegistered);
        return;
    }
    logged_in_frame(conn, frame);
}

void Dispatcher::logged_in_frame(HardwareConnection& conn, const proto::FrameView& frame) {
    namespace cmd = proto::cmd;
    if (spdlog::should_log(spdlog::level::trace)) {  // repr() formats: not on every frame
        spdlog::trace("{} id={} len={} ({})", proto::command_name(frame.command), frame.id,
                      frame.body.size(), conn.link.repr());
    }
    switch (frame.command) {
        case cmd::kPing:
            conn.link.send_response(frame.id, proto::status::kOk);
            break;
        case cmd::kHardware:
            handlers::hardware(conn, frame);
            break;
        case cmd::kHardwareSync:
            handlers::sync(conn, frame);
            break;
        case cmd::kInternal:
            handlers::internal(conn, frame);
            break;
        case cmd::kSetWidgetProperty:
            handlers::property(conn, frame);
            break;
        case cmd::kBridge:
            handlers::bridge(hub_, conn, frame);
            break;
        case cmd::kPushNotification:
        case cmd::kEmail:
        case cmd::kTweet:
        case cmd::kSms:
            handlers::notification(conn, frame);
            break;
        case cmd::kEventLog:
            handlers::event_log(conn, frame);
            break;
        case cmd::kDebugPrint:
            handlers::debug_print(conn, frame);
            break;
        default:
            // RESPONSE from the device, 1.x GROUP/EVENT_CLEAR and other codes < 100: ignored,
            // no reply, as the Java server did.
            break;
    }
}

}  // namespace blynk::hub
