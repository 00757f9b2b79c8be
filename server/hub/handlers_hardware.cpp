#include <algorithm>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "server/hub/handlers.hpp"
#include "server/hub/webhooks.hpp"

namespace blynk::hub::handlers {

std::optional<PinWrite> parse_write(std::string_view body, uint16_t& status) {
    status = proto::status::kIllegalCommand;
    if (body.size() < 4) return std::nullopt;  // the shortest legal body is "ar\01"
    if (body[1] != 'w') {
        status = 0;  // reads ("vr", "dr", "pm") from a device are ignored, as the Java server did
        return std::nullopt;
    }
    auto f = proto::split_n<3>(body);
    if (f.count < 3 || f.field[0].size() != 2 || f.field[2].empty()) return std::nullopt;
    auto type = model::pin_type_from_letter(f.field[0][0]);
    auto pin = model::parse_pin_number(f.field[1]);
    if (!type || !pin) return std::nullopt;
    status = 0;
    return PinWrite{model::PinKey{*type, *pin}, f.field[2]};
}

void apply_device_write(UserState& user, DeviceRef device, uint16_t id, std::string_view body,
                        const PinWrite& write) {
    user.store_pin(device, write.pin, write.value);
    webhooks::pin_written(user, device, write.pin, write.value);
    user.relay_to_apps(proto::cmd::kHardware, id, device, body);
}

void hardware(HardwareConnection& conn, const proto::FrameView& frame) {
    uint16_t status = 0;
    auto write = parse_write(frame.body, status);
    if (!write) {
        if (status) conn.link.send_response(frame.id, status);
        return;
    }
    apply_device_write(*conn.user, conn.device, frame.id, frame.body, *write);
    if (conn.options.write_ack) conn.link.send_response(frame.id, proto::status::kOk);
}

void sync(HardwareConnection& conn, const proto::FrameView& frame) {
    DeviceEntry* entry = conn.user->find(conn.device);
    if (!entry) return;
    const auto& pins = entry->device.pins;
    std::string reply;
    auto send_value = [&](model::PinKey pin, const std::string& value) {
        reply.assign(1, static_cast<char>(pin.type));
        reply.push_back('w');
        reply.push_back('\0');
        reply.append(std::to_string(pin.pin));
        reply.push_back('\0');
        reply.append(value);
        conn.link.send(proto::cmd::kHardware, frame.id, reply);
    };

    if (frame.body.empty()) {  // sync all, in pin order
        for (const auto* p : model::pins_in_order(entry->device))
            send_value(p->first, p->second);
        return;
    }
    auto fields = proto::split_all(frame.body);
    if (fields.size() < 2 || fields[0].size() != 2) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommand);
        return;
    }
    if (fields[0][1] != 'r') return;  // "vw\01" and the like: nothing to answer
    auto type = model::pin_type_from_letter(fields[0][0]);
    if (!type) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommand);
        return;
    }
    std::vector<model::PinKey> wanted;
    for (size_t i = 1; i < fields.size(); ++i) {
        auto pin = model::parse_pin_number(fields[i]);
        if (!pin) {
            conn.link.send_response(frame.id, proto::status::kIllegalCommand);
            return;
        }
        wanted.push_back(model::PinKey{*type, *pin});
    }
    for (const auto& key : wanted) {
        auto it = pins.find(key);
        if (it != pins.end()) send_value(key, it->second);
    }
}

}  // namespace blynk::hub::handlers
