#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "server/hub/handlers.hpp"

namespace blynk::hub::handlers {

void property(HardwareConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<3>(frame.body);
    if (f.count < 3 || f.field[1].empty() || f.field[2].empty()) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommandBody);
        return;
    }
    auto name = canonical_property(f.field[1]);
    if (!name) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommandBody);
        return;
    }
    auto pin = model::parse_pin_number(f.field[0]);
    if (!pin) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommand);
        return;
    }
    conn.user->store_property(conn.device, *pin, std::string(*name), std::string(f.field[2]));
    conn.user->relay_to_apps(proto::cmd::kSetWidgetProperty, frame.id, conn.device, frame.body);
    conn.link.send_response(frame.id, proto::status::kOk);
}

}  // namespace blynk::hub::handlers
