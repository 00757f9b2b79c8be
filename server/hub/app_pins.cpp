#include <algorithm>
#include <vector>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "server/hub/app_handlers.hpp"
#include "server/hub/handlers.hpp"
#include "server/hub/operations.hpp"
#include "server/hub/user_state.hpp"

namespace blynk::hub::app {
namespace {

namespace status = proto::status;

/// APP_SYNC replays carry this message id, as the Java server's did.
constexpr uint16_t kSyncId = 1111;

}  // namespace

void hardware(AppConnection& conn, const proto::FrameView& frame) {
    // "dashId-deviceId\0vw\0pin\0value..."
    const auto sep = frame.body.find('\0');
    auto ref = parse_target(frame.body.substr(0, sep));
    if (!ref || sep == std::string_view::npos) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    UserState& user = *conn.user;
    const model::Dashboard* dash = conn.dashboard(ref->dash_id);
    if (!dash) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    if (!dash->active) return;  // the Java server dropped writes to inactive dashboards
    const std::string_view body = frame.body.substr(sep + 1);
    uint16_t parse_status = 0;
    auto write = handlers::parse_write(body, parse_status);
    if (!write) {
        if (parse_status) conn.link.send_response(frame.id, parse_status);
        return;  // reads ("vr") and the like: nothing to do
    }
    if (!user.find(*ref)) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    const size_t sent =
        ops::server_write_body(user, *ref, frame.id, body, write->pin, write->value, &conn);
    // No answer on success; an offline device is reported unless notifications are off.
    if (sent == 0 && !dash->notifications_off)
        conn.link.send_response(frame.id, status::kDeviceNotInNetwork);
}

void replay_values(UserState& user, int dash_id, std::optional<int> device_id,
                   AppConnection* conn) {
    std::string body;
    auto send = [&](uint8_t command) {
        if (conn) {
            conn->link.send(command, kSyncId, body);
        } else {
            user.send_to_apps(dash_id, command, kSyncId, body);
        }
    };
    for (const auto& [ref, entry] : user.devices()) {
        if (ref.dash_id != dash_id || (device_id && ref.device_id != *device_id)) continue;
        const std::string prefix = ref.str();
        for (const auto* pin : model::pins_in_order(entry.device)) {
            body = prefix;
            body += '\0';
            body += static_cast<char>(pin->first.type);
            body += "w";
            body += '\0';
            body += std::to_string(pin->first.pin);
            body += '\0';
            body += pin->second;
            send(proto::cmd::kAppSync);
        }
        for (const auto& [key, value] : entry.device.properties) {
            body = prefix;
            body += '\0';
            body += std::to_string(key.first);
            body += '\0';
            body += key.second;
            body += '\0';
            body += value;
            send(proto::cmd::kSetWidgetProperty);
        }
    }
}

void app_sync(AppConnection& conn, const proto::FrameView& frame) {
    auto ref = parse_target(frame.body);
    if (!ref || !conn.dashboard(ref->dash_id)) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    conn.link.send_response(frame.id, status::kOk);
    const bool one_device = frame.body.find('-') != std::string_view::npos;
    replay_values(*conn.user, ref->dash_id,
                  one_device ? std::optional<int>(ref->device_id) : std::nullopt, &conn);
}

}  // namespace blynk::hub::app
