#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "server/hub/app_handlers.hpp"
#include "server/hub/operations.hpp"
#include "server/hub/user_state.hpp"

namespace blynk::hub::app {
namespace {

namespace status = proto::status;

/// "dashId\0deviceId": the device; nullopt after answering `missing`.
std::optional<DeviceRef> find_device(AppConnection& conn, const proto::FrameView& frame,
                                     uint16_t missing = status::kIllegalCommand) {
    auto f = proto::split_n<2>(frame.body);
    auto dash_id = parse_id(f.field[0]);
    auto device_id = f.count == 2 ? parse_id(f.field[1]) : std::nullopt;
    if (!dash_id || !device_id || !conn.user->find(DeviceRef{*dash_id, *device_id})) {
        conn.link.send_response(frame.id, missing);
        return std::nullopt;
    }
    return DeviceRef{*dash_id, *device_id};
}

/// "dashId\0deviceJson", parsed; nullopt after answering.
std::optional<std::pair<int, model::Device>> parse_device_request(AppConnection& conn,
                                                                  const proto::FrameView& frame) {
    auto f = proto::split_n<2>(frame.body);
    auto dash_id = parse_id(f.field[0]);
    if (!dash_id || f.count < 2 || !conn.user->dashboard(*dash_id)) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return std::nullopt;
    }
    std::string error;
    auto device = model::parse_device(f.field[1], error);
    if (!device) {
        spdlog::info("{} refused: {} ({})", proto::command_name(frame.command), error,
                     conn.link.repr());
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return std::nullopt;
    }
    return std::pair{*dash_id, std::move(*device)};
}

}  // namespace

void create_device(Hub& hub, AppConnection& conn, const proto::FrameView& frame) {
    auto request = parse_device_request(conn, frame);
    if (!request) return;
    const uint16_t id = frame.id;
    auto& [dash_id, device] = *request;
    ops::create_device(hub, conn.user, dash_id, std::move(device), conn.options.devices_limit,
                       [&conn, alive = conn.link.keep_alive(), id, dash_id](
                           const model::Device* stored, uint16_t result, std::string_view why) {
                           if (!stored) {
                               spdlog::info("CREATE_DEVICE refused: {} ({})", why,
                                            conn.link.repr());
                               conn.link.send_response(id, result);
                               return;
                           }
                           spdlog::info("device {}-{} {:?} created ({})", dash_id, stored->id,
                                        std::string_view(stored->name), conn.link.repr());
                           DeviceEntry* entry = conn.user->find(DeviceRef{dash_id, stored->id});
                           conn.link.send(proto::cmd::kCreateDevice, id,
                                          model::device_json(device_view(conn, *entry)));
                       });
}

void update_device(AppConnection& conn, const proto::FrameView& frame) {
    auto request = parse_device_request(conn, frame);
    if (!request) return;
    auto& [dash_id, device] = *request;
    const DeviceRef ref{dash_id, device.id};
    DeviceEntry* entry = conn.user->find(ref);
    if (!entry) {
        conn.link.send_response(frame.id, status::kIllegalCommandBody);
        return;
    }
    entry->device.name = device.name;
    entry->device.board_type = device.board_type;
    entry->device.extra = device.extra;
    const uint16_t id = frame.id;
    conn.user->persistence().update_device(
        conn.user->email(), dash_id, entry->device,
        ops::answer_on<std::string>(
            conn.user, [&conn, alive = conn.link.keep_alive(), id](std::string error) {
                conn.link.send_response(id, error.empty() ? status::kOk : status::kServerError);
            }));
}

void delete_device(Hub& hub, AppConnection& conn, const proto::FrameView& frame) {
    auto ref = find_device(conn, frame);
    if (!ref) return;
    const uint16_t id = frame.id;
    ops::delete_device(
        hub, conn.user, *ref,
        [&conn, alive = conn.link.keep_alive(), id](uint16_t result, std::string_view) {
            conn.link.send_response(id, result);
        });
}

void get_devices(AppConnection& conn, const proto::FrameView& frame) {
    auto dash_id = parse_id(frame.body);
    model::Dashboard* dash = dash_id ? conn.dashboard(*dash_id) : nullptr;
    if (!dash) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    const auto view = dashboard_view(conn, *dash);
    conn.link.send(proto::cmd::kGetDevices, frame.id, model::devices_json(view.devices));
}

void get_device(AppConnection& conn, const proto::FrameView& frame) {
    auto ref = find_device(conn, frame);
    if (!ref) return;
    conn.link.send(proto::cmd::kMobileGetDevice, frame.id,
                   model::device_json(device_view(conn, *conn.user->find(*ref))));
}

void refresh_token(Hub& hub, AppConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<2>(frame.body);
    auto dash_id = parse_id(f.field[0]);
    auto device_id = f.count == 2 ? parse_id(f.field[1]) : std::optional<int>(0);
    if (!dash_id || !device_id) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    const uint16_t id = frame.id;
    ops::refresh_token(
        hub, conn.user, DeviceRef{*dash_id, *device_id},
        [&conn, alive = conn.link.keep_alive(), id](const std::string* token, uint16_t result) {
            if (!token) return conn.link.send_response(id, result);
            conn.link.send(proto::cmd::kRefreshToken, id, *token);
        });
}

}  // namespace blynk::hub::app
