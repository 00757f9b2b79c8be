#pragma once
// The server's automation (server-surface.md §3.3, §7.1): Timer widgets and Eventor time rules
// fire at their times in their zones; Eventor pin rules fire when a write brings their trigger
// pin's value into their condition. Everything runs on the user's strand and writes through
// ops::server_write, so boards, apps and storage see what a timer did like an app's write.
//
// Exactly once: before a slot fires, the slot is recorded as the group's mark and committed; it
// fires when the commit answers. After a gap (the server was down, or the wall clock jumped
// forward) each group applies only the latest slot it missed, once (a Timer's stop missed while
// down is applied at start-up; a start whose stop has passed is not). A clock that goes back
// repeats nothing: slots fire only after the last one handled.

#include <cstdint>
#include <string_view>
#include <vector>

#include "server/hub/user_state.hpp"
#include "server/model/automation_mark.hpp"

namespace blynk::hub::ops {

/// The message id of Timer writes to boards and apps (the Java server's).
inline constexpr uint16_t kTimerWriteId = 7777;
/// The message id of Eventor "set pin" writes (the Java server's).
inline constexpr uint16_t kEventorWriteId = 888;

/// The marks stored for the user (start-up, before any tick).
void load_automation_marks(UserState& user, std::vector<model::AutomationMark> marks);

/// Fires what is due at `now_ms` (wall clock, UTC ms). The hub calls it every second.
void run_schedules(UserState& user, int64_t now_ms);

/// Runs the Eventor pin rules of the device's dashboard on a value just written to `pin` (by the
/// board, an app, REST); the writes of rules and timers trigger nothing.
void run_pin_rules(UserState& user, DeviceRef device, model::PinKey pin, std::string_view value);

}  // namespace blynk::hub::ops
