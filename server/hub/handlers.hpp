#pragma once
// Hardware command handlers, one file per family. Each runs after the dispatcher's checks
// (state, quota) and answers through conn.link. Errors become Blynk status codes here.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/proto/codec.hpp"
#include "server/hub/hardware_connection.hpp"
#include "server/hub/hub.hpp"
#include "server/hub/login_limiter.hpp"
#include "server/hub/property_names.hpp"
#include "server/model/pin.hpp"

namespace blynk::hub::handlers {

// handlers_login.cpp
/// Wrong tokens count against the client's address in `guesses` (slowed, then blocked).
void login(Hub& hub, TokenGuessLimiter& guesses, HardwareConnection& conn,
           const proto::FrameView& frame);

// handlers_hardware.cpp
void hardware(HardwareConnection& conn, const proto::FrameView& frame);
void sync(HardwareConnection& conn, const proto::FrameView& frame);

/// A parsed pin write: "vw\05\0value..." -> (v5, "value...").
struct PinWrite {
    model::PinKey pin;
    std::string_view value;  ///< everything after the pin, NULs included
};
/// Parses a write body. nullopt + status 0: not a write (a read such as "vr", ignored);
/// nullopt + status: malformed (ILLEGAL_COMMAND).
std::optional<PinWrite> parse_write(std::string_view body, uint16_t& status);
/// Stores a device's write and relays it to the user's apps as that device.
void apply_device_write(UserState& user, DeviceRef device, uint16_t id, std::string_view body,
                        const PinWrite& write);

// handlers_internal.cpp
void internal(HardwareConnection& conn, const proto::FrameView& frame);

// handlers_bridge.cpp
void bridge(Hub& hub, HardwareConnection& conn, const proto::FrameView& frame);

// handlers_property.cpp
void property(HardwareConnection& conn, const proto::FrameView& frame);
// canonical_property() and known_properties(): property_names.hpp

// handlers_notify.cpp: notifications, event log, debug print
void notification(HardwareConnection& conn, const proto::FrameView& frame);
void event_log(HardwareConnection& conn, const proto::FrameView& frame);
void debug_print(HardwareConnection& conn, const proto::FrameView& frame);

}  // namespace blynk::hub::handlers
