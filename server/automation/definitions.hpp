#pragma once
// What a dashboard asks the server to do on its own, read from its widgets (kept as the app's
// JSON): Timer widgets (a start and a stop value at times of day), Eventor time rules (actions at
// a time on some days of the week), Eventor pin rules (actions when a pin's value comes into a
// condition) and Time Input schedules (their value, written again to the board at the start and
// stop it says; an extension: Java left them to the sketch). Field names and meanings as the Java
// server's (Timer, Eventor, Rule, TimerTime, TimeInput).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/automation/condition.hpp"
#include "server/automation/schedule.hpp"
#include "server/model/pin.hpp"
#include "server/model/user.hpp"

namespace blynk::automation {

struct Action {
    enum class Kind { SetPin, Notify, Mail };
    Kind kind = Kind::SetPin;
    model::PinKey pin;  ///< SetPin
    std::string value;  ///< SetPin: the value; Notify, Mail: the message ("/pin/" = trigger value)
    std::string subject;  ///< Mail
};

/// Identifies a scheduled group across rebuilds and restarts: a Timer or Time Input widget (rule
/// -1) or one time rule of an Eventor widget (its index).
struct GroupKey {
    int dash_id = 0;
    int64_t widget_id = 0;
    int rule = -1;
    friend auto operator<=>(const GroupKey&, const GroupKey&) = default;
};

struct TimeSlot {
    DailyTime when;
    std::vector<Action> actions;
};

/// Slots that set one state together (a Timer's start and stop): after a gap (the server was
/// down, the clock jumped) only the latest slot missed is applied.
struct TimeGroup {
    GroupKey key;
    int device_id = 0;
    std::string zone;       ///< IANA name; empty = UTC
    std::string signature;  ///< the definition as text: a change restarts the group's schedule
    std::vector<TimeSlot> slots;
};

struct PinRule {
    GroupKey key;
    int device_id = 0;
    model::PinKey trigger;
    Condition condition;
    std::vector<Action> actions;
};

/// A pin whose value is a schedule (a Time Input's): a write to it changes the automation.
struct SchedulePin {
    int dash_id = 0;
    int device_id = 0;
    model::PinKey pin;
    friend bool operator==(const SchedulePin&, const SchedulePin&) = default;
};

struct DashboardAutomation {
    std::vector<TimeGroup> groups;
    std::vector<PinRule> rules;
    std::vector<SchedulePin> schedule_pins;
};

/// The current value of a pin of one of the dashboard's devices; nullopt when it has none.
using PinValue = std::function<std::optional<std::string>(int device_id, model::PinKey pin)>;

/// The zone a dashboard's schedules run in: its RTC widget's "tzName" (empty = UTC).
std::string dashboard_zone(const model::Dashboard& dash);

/// Reads the automation of one dashboard; widgets that are incomplete or malformed (no pin, no
/// valid time, an unknown condition) contribute nothing, as the Java server skipped them. A Time
/// Input's schedule is its pin's value, `start␀stop␀tz␀days[␀offset]` as the app and the
/// library's TimeInputParam write it.
DashboardAutomation read_automation(const model::Dashboard& dash, const PinValue& pin_value);

}  // namespace blynk::automation
