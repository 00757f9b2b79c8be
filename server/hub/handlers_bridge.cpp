#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "common/util/token.hpp"
#include "server/hub/handlers.hpp"

namespace blynk::hub::handlers {
namespace {

const BridgeTarget* find_bridge(const HardwareConnection& conn, std::string_view bridge_pin) {
    if (!conn.bridges) return nullptr;
    const auto it = conn.bridges->find(bridge_pin);
    return it == conn.bridges->end() ? nullptr : &it->second;
}

void init_bridge(Hub& hub, HardwareConnection& conn, std::string_view bridge_pin,
                 std::string_view token, uint16_t id) {
    auto target = hub.find_token(std::string(proto::trim_java(token)));
    const size_t count = conn.bridges ? conn.bridges->size() : 0;
    if (!target || target->user != conn.user ||
        (!find_bridge(conn, bridge_pin) && count >= HardwareConnection::kMaxBridges)) {
        spdlog::info("bridge refused: token {} is {} ({})", util::redact_token(token),
                     !target                     ? "unknown"
                     : target->user != conn.user ? "another user's"
                                                 : "over the bridge limit",
                     conn.link.repr());
        conn.link.send_response(id, proto::status::kNotAllowed);
        return;
    }
    if (!conn.bridges) conn.bridges = std::make_unique<HardwareConnection::Bridges>();
    (*conn.bridges)[std::string(bridge_pin)] = BridgeTarget{target->user, target->device};
    conn.link.send_response(id, proto::status::kOk);
}

}  // namespace

void bridge(Hub& hub, HardwareConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<3>(frame.body);
    if (f.count < 3 || f.field[1].empty()) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommand);
        return;
    }
    const std::string_view bridge_pin = f.field[0];
    if (f.field[1][0] == 'i') {
        init_bridge(hub, conn, bridge_pin, f.field[2], frame.id);
        return;
    }
    const BridgeTarget* found = find_bridge(conn, bridge_pin);
    if (!found) {
        conn.link.send_response(frame.id, proto::status::kNotAllowed);
        return;
    }
    const BridgeTarget& target = *found;
    // What the target receives: the body without the bridge pin ("vw\05\0hello").
    const std::string_view forwarded = frame.body.substr(bridge_pin.size() + 1);
    DeviceEntry* entry = target.user->find(target.device);
    if (!entry) {  // the target device was removed
        conn.link.send_response(frame.id, proto::status::kNotAllowed);
        return;
    }
    size_t delivered = 0;
    for (HardwareConnection* other : entry->connections) {
        if (other == &conn) continue;
        other->link.send(proto::cmd::kBridge, frame.id, forwarded);
        ++delivered;
    }
    if (delivered == 0) conn.link.send_response(frame.id, proto::status::kDeviceNotInNetwork);

    // Whatever the delivery, the write is the target's own: stored and shown as the target.
    uint16_t status = 0;
    auto write = parse_write(forwarded, status);
    if (write) {
        apply_device_write(*target.user, target.device, frame.id, forwarded, *write);
    } else if (status) {
        conn.link.send_response(frame.id, status);
    }
}

}  // namespace blynk::hub::handlers
