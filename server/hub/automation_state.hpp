#pragma once
// A user's automation as the hub runs it: the schedules and pin rules read from the dashboards
// (rebuilt after any dashboard or widget change) and what each scheduled group handled last.
// Plain data on the user's strand; the logic is in automation.cpp.

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "server/automation/definitions.hpp"

namespace blynk::hub {

struct UserAutomation {
    struct Mark {
        std::string signature;    ///< the group's definition when `handled_ms` was set
        int64_t handled_ms = 0;   ///< the latest slot handled (fired, or skipped as not due)
        bool committing = false;  ///< a claim is on its way to storage: nothing else fires
    };
    std::vector<automation::TimeGroup> groups;
    std::vector<automation::PinRule> rules;
    /// Time Input pins: a write to one reads the definitions again.
    std::vector<automation::SchedulePin> schedule_pins;
    /// Per pin rule: whether the trigger pin's value is in the condition (rules fire on the way
    /// in) and the value it had (for "CHANGED").
    struct RuleState {
        bool inside = false;
        std::string last_value;
        bool has_value = false;
    };
    std::map<automation::GroupKey, RuleState> rule_states;
    std::map<automation::GroupKey, Mark> marks;
    /// Set by any dashboard change: the definitions are read again before the next use.
    bool stale = true;
    /// While a rule's actions write pins: those writes trigger no rule (no loops).
    bool running_actions = false;
    /// Whether the scheduler should visit this user (read by the hub's tick on any thread).
    std::atomic<bool> scheduled{true};
};

}  // namespace blynk::hub
