#include "server/hub/automation.hpp"

#include <algorithm>
#include <ctime>
#include <optional>

#include <spdlog/spdlog.h>

#include "common/proto/status.hpp"
#include "common/util/ascii.hpp"
#include "common/util/clock.hpp"
#include "common/util/time_zone.hpp"
#include "server/hub/mail.hpp"
#include "server/hub/notify.hpp"
#include "server/hub/operations.hpp"

namespace blynk::hub::ops {
namespace {

using automation::GroupKey;

/// Slots are looked for at most this far back after a gap: a week holds every weekday's slot.
constexpr int64_t kLookBackMs = 8 * 86400 * 1000LL;
/// A slot handled later than this after its time was missed (down, clock jump): logged.
constexpr int64_t kLateMs = 5000;

std::string describe(const UserState& user, const GroupKey& key) {
    return fmt::format("user {} dashboard {} widget {}{}", user.email(), key.dash_id, key.widget_id,
                       key.rule < 0 ? "" : fmt::format(" rule {}", key.rule));
}

/// "2026-03-29 07:00:00 UTC".
std::string utc_text(int64_t time_ms) {
    const std::time_t t = static_cast<std::time_t>(time_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return text;
}

model::AutomationMark mark_of(const GroupKey& key, const UserAutomation::Mark& mark) {
    return model::AutomationMark{key.dash_id, key.widget_id, key.rule, mark.signature,
                                 mark.handled_ms};
}

void commit_mark(UserState& user, const GroupKey& key, const UserAutomation::Mark& mark,
                 Done done) {
    user.persistence().automation_marked(user.email(), mark_of(key, mark), std::move(done));
}

/// Reads the definitions again; groups keep their marks while their definition is unchanged,
/// new or changed ones start from now (nothing before the change fires).
void rebuild(UserState& user, int64_t now_ms) {
    UserAutomation& a = user.automation();
    a.stale = false;
    a.groups.clear();
    a.rules.clear();
    a.schedule_pins.clear();
    for (const auto& [id, dash] : user.dashboards()) {
        const auto pin_value = [&user, dash_id = id](int device_id, model::PinKey pin) {
            std::optional<std::string> value;
            if (const DeviceEntry* entry = user.find(DeviceRef{dash_id, device_id})) {
                auto it = entry->device.pins.find(pin);
                if (it != entry->device.pins.end()) value = it->second;
            }
            return value;
        };
        automation::DashboardAutomation found = automation::read_automation(dash, pin_value);
        for (auto& g : found.groups)
            a.groups.push_back(std::move(g));
        for (auto& r : found.rules)
            a.rules.push_back(std::move(r));
        for (auto& p : found.schedule_pins)
            a.schedule_pins.push_back(p);
    }
    std::map<GroupKey, UserAutomation::Mark> marks;
    for (automation::TimeGroup& g : a.groups) {
        if (!g.zone.empty() && !util::utc_offset(g.zone, now_ms / 1000)) {
            spdlog::warn("automation: unknown time zone {:?} in {}; it runs in UTC", g.zone,
                         describe(user, g.key));
            g.zone.clear();
        }
        auto old = a.marks.find(g.key);
        if (old != a.marks.end() && old->second.signature == g.signature) {
            marks[g.key] = old->second;
            continue;
        }
        UserAutomation::Mark& mark = marks[g.key];
        mark = {g.signature, now_ms, false};
        commit_mark(user, g.key, mark, [](const std::string& error) {
            if (!error.empty()) spdlog::error("automation: schedule start not stored: {}", error);
        });
    }
    a.marks = std::move(marks);
    a.rule_states.clear();
    for (const automation::PinRule& r : a.rules) {
        UserAutomation::RuleState& state = a.rule_states[r.key];
        DeviceEntry* entry = user.find(DeviceRef{r.key.dash_id, r.device_id});
        if (!entry) continue;
        auto value = entry->device.pins.find(r.trigger);
        if (value == entry->device.pins.end()) continue;
        // A value already in the condition at start-up or after an edit does not fire again.
        state.inside = r.condition.matches(value->second, std::nullopt);
        state.last_value = value->second;
        state.has_value = true;
    }
    a.scheduled.store(!a.groups.empty(), std::memory_order_relaxed);
}

/// Java's Eventor puts the value that triggered a pin rule where a message says "/pin/".
std::string with_trigger_value(std::string text, std::optional<std::string_view> trigger) {
    if (trigger) util::replace_all(text, "/pin/", *trigger);
    return text;
}

void run_actions(UserState& user, int dash_id, int device_id,
                 const std::vector<automation::Action>& actions, uint16_t id,
                 std::optional<std::string_view> trigger = std::nullopt) {
    const model::Dashboard* dash = user.dashboard(dash_id);
    if (!dash || !dash->active) return;  // as the Java server: only active dashboards run
    UserAutomation& a = user.automation();
    a.running_actions = true;
    const DeviceRef device{dash_id, device_id};
    for (const automation::Action& action : actions) {
        switch (action.kind) {
            case automation::Action::Kind::SetPin:
                server_write(user, device, id, action.pin, action.value);
                break;
            case automation::Action::Kind::Notify:
                // The same checks, limit and channels as a device's notify.
                if (const uint8_t status =
                        notify(user, device, with_trigger_value(action.value, trigger));
                    status != proto::status::kOk)
                    spdlog::info("automation: eventor notify for {} not sent (status {})",
                                 user.email(), status);
                break;
            case automation::Action::Kind::Mail: {
                // As a device's `email` with subject and body: the Mail widget says to whom.
                const std::string body =
                    action.subject + '\0' + with_trigger_value(action.value, trigger);
                if (const uint16_t status = mail::from_device(user, device, body);
                    status != proto::status::kOk)
                    spdlog::info("automation: eventor mail for {} not sent (status {})",
                                 user.email(), status);
                break;
            }
        }
    }
    a.running_actions = false;
}

/// The latest slot of `g` in (after_ms, now_ms] and how many there were.
struct Due {
    int64_t time_ms = 0;
    size_t slot = 0;
    int count = 0;
};
std::optional<Due> latest_due(const automation::TimeGroup& g, int64_t after_ms, int64_t now_ms) {
    const automation::ZoneOffsets zone = automation::system_zone(g.zone);
    std::optional<Due> due;
    int count = 0;
    for (size_t i = 0; i < g.slots.size(); ++i) {
        auto t = automation::next_occurrence(g.slots[i].when, zone,
                                             std::max(after_ms, now_ms - kLookBackMs));
        for (; t && *t <= now_ms; t = automation::next_occurrence(g.slots[i].when, zone, *t)) {
            ++count;
            if (!due || *t >= due->time_ms) due = Due{*t, i, 0};
        }
    }
    if (due) due->count = count;
    return due;
}

void fire_when_committed(UserState& user, const automation::TimeGroup& g, Due due, int64_t now_ms) {
    UserAutomation::Mark& mark = user.automation().marks[g.key];
    mark.handled_ms = due.time_ms;
    mark.committing = true;
    if (now_ms - due.time_ms > kLateMs) {
        spdlog::info(
            "automation: {}: the slot of {} is applied late ({} slot(s) passed while the server "
            "was down or the clock jumped; only the latest is applied)",
            describe(user, g.key), utc_text(due.time_ms), due.count);
    }
    commit_mark(user, g.key, mark,
                answer_on<std::string>(
                    user.shared_from_this(),
                    [&user, key = g.key, signature = g.signature, due](std::string error) {
                        UserAutomation& a = user.automation();
                        auto m = a.marks.find(key);
                        if (m != a.marks.end()) m->second.committing = false;
                        if (!error.empty()) {
                            // Not fired: firing without the mark could fire twice later.
                            spdlog::error("automation: {}: slot not stored, not fired: {}",
                                          describe(user, key), error);
                            return;
                        }
                        auto g = std::find_if(a.groups.begin(), a.groups.end(),
                                              [&](const auto& x) { return x.key == key; });
                        if (g == a.groups.end() || g->signature != signature) return;  // edited
                        spdlog::info("automation: {}: firing the slot of {}", describe(user, key),
                                     utc_text(due.time_ms));
                        run_actions(user, key.dash_id, g->device_id, g->slots[due.slot].actions,
                                    key.rule < 0 ? kTimerWriteId : kEventorWriteId);
                    }));
}

}  // namespace

void load_automation_marks(UserState& user, std::vector<model::AutomationMark> marks) {
    UserAutomation& a = user.automation();
    for (auto& m : marks) {
        a.marks[GroupKey{m.dash_id, m.widget_id, m.rule}] =
            UserAutomation::Mark{std::move(m.signature), m.occurrence_ms, false};
    }
    a.stale = true;
}

void run_schedules(UserState& user, int64_t now_ms) {
    UserAutomation& a = user.automation();
    if (a.stale) rebuild(user, now_ms);
    for (const automation::TimeGroup& g : a.groups) {
        const UserAutomation::Mark& mark = a.marks[g.key];
        if (mark.committing) continue;
        if (auto due = latest_due(g, mark.handled_ms, now_ms))
            fire_when_committed(user, g, *due, now_ms);
    }
}

void run_pin_rules(UserState& user, DeviceRef device, model::PinKey pin, std::string_view value) {
    UserAutomation& a = user.automation();
    const automation::SchedulePin written{device.dash_id, device.device_id, pin};
    if (std::find(a.schedule_pins.begin(), a.schedule_pins.end(), written) != a.schedule_pins.end())
        user.automation_changed();  // a new Time Input schedule
    if (a.running_actions) return;
    if (a.stale) rebuild(user, util::now_ms());
    for (const automation::PinRule& r : a.rules) {
        if (r.key.dash_id != device.dash_id || r.device_id != device.device_id || r.trigger != pin)
            continue;
        UserAutomation::RuleState& state = a.rule_states[r.key];
        std::optional<std::string> previous;
        if (state.has_value) previous = state.last_value;
        const bool inside = r.condition.matches(value, previous);
        // Fired on the way into the condition (Java's isProcessed); CHANGED on every change.
        const bool fire =
            inside && (!state.inside || r.condition.kind == automation::Condition::Kind::Changed);
        state.inside = inside;
        state.last_value.assign(value);
        state.has_value = true;
        if (fire)
            run_actions(user, device.dash_id, device.device_id, r.actions, kEventorWriteId, value);
    }
}

}  // namespace blynk::hub::ops
