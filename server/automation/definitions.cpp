#include "server/automation/definitions.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "common/proto/body.hpp"
#include "server/model/json_text.hpp"
#include "server/model/widget.hpp"

namespace blynk::automation {
namespace {

using Json = nlohmann::ordered_json;

std::string string_field(const Json& json, const char* key) {
    auto it = json.find(key);
    return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<int64_t> integer_field(const Json& json, const char* key) {
    auto it = json.find(key);
    return it == json.end() ? std::nullopt : model::json_integer(*it);
}

bool valid_time(std::optional<int64_t> t) {
    return t && *t >= 0 && *t < 86400;
}

/// Java days 1 (Monday) .. 7 as a bit set; no array means every day.
uint8_t read_days(const Json& json) {
    auto it = json.find("days");
    if (it == json.end() || !it->is_array()) return kEveryDay;
    uint8_t days = 0;
    for (const Json& d : *it) {
        auto day = model::json_integer(d);
        if (day && *day >= 1 && *day <= 7) days |= static_cast<uint8_t>(1u << (*day - 1));
    }
    return days;
}

std::vector<Action> read_actions(const Json& rule) {
    std::vector<Action> actions;
    auto list = rule.find("actions");
    if (list == rule.end() || !list->is_array()) return actions;
    for (const Json& a : *list) {
        if (!a.is_object()) continue;
        const std::string type = string_field(a, "type");
        Action action;
        if (type == "SETPIN") {
            auto pin = a.find("pin");
            auto value = a.find("value");
            if (pin == a.end() || value == a.end() || !value->is_string()) continue;
            auto key = model::bound_pin(*pin);
            if (!key) continue;
            action.pin = *key;
            action.value = value->get<std::string>();
        } else if (type == "NOTIFY" || type == "MAIL") {
            action.kind = type == "NOTIFY" ? Action::Kind::Notify : Action::Kind::Mail;
            action.value = string_field(a, "message");
            action.subject = string_field(a, "subject");
            if (action.value.empty()) continue;
        } else {
            continue;  // TWIT, SET_PROP: not run by this server
        }
        actions.push_back(std::move(action));
    }
    return actions;
}

void read_timer(const model::Widget& w, const Json& json, const std::string& zone,
                DashboardAutomation& out) {
    if (w.pins.empty()) return;
    TimeGroup group{{0, w.id, -1}, w.device_id, w.time_zone.empty() ? zone : w.time_zone, {}, {}};
    for (auto [time_key, value_key] :
         {std::pair{"startTime", "startValue"}, std::pair{"stopTime", "stopValue"}}) {
        auto time = integer_field(json, time_key);
        const std::string value = string_field(json, value_key);
        if (!valid_time(time) || value.empty()) continue;
        group.slots.push_back(TimeSlot{DailyTime{static_cast<int>(*time), kEveryDay},
                                       {Action{Action::Kind::SetPin, w.pins[0], value, {}}}});
    }
    if (group.slots.empty()) return;
    // What the schedule depends on, not the whole widget (a label or color change keeps it).
    group.signature = group.zone + '\n' + std::to_string(w.device_id) + '\n' + w.pins[0].str();
    for (const TimeSlot& slot : group.slots)
        group.signature +=
            '\n' + std::to_string(slot.when.seconds_of_day) + '=' + slot.actions[0].value;
    out.groups.push_back(std::move(group));
}

/// "25200" (seconds of the day) to a time; "sr", "ss" (sunrise, sunset: the server does not know
/// where the board is) and an empty field (not set) to nullopt.
std::optional<int64_t> time_input_time(std::string_view field) {
    int64_t seconds = 0;
    auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), seconds);
    if (error != std::errc() || end != field.data() + field.size() || !valid_time(seconds))
        return std::nullopt;
    return seconds;
}

/// "1,3,7" (TimeInputParam's weekdays: the digits count, anything else is a separator); empty is
/// every day.
uint8_t time_input_days(std::string_view field) {
    uint8_t days = 0;
    for (char c : field)
        if (c >= '1' && c <= '7') days |= static_cast<uint8_t>(1u << (c - '1'));
    return field.empty() ? kEveryDay : days;
}

/// A window that ends before it starts ends on the next day: Monday 22:00-06:00 stops Tuesday.
uint8_t next_days(uint8_t days) {
    return static_cast<uint8_t>(((days << 1) | (days >> 6)) & kEveryDay);
}

void read_time_input(const model::Widget& w, const std::string& zone, const PinValue& pin_value,
                     DashboardAutomation& out) {
    if (w.pins.empty()) return;
    out.schedule_pins.push_back(SchedulePin{0, w.device_id, w.pins[0]});
    const std::optional<std::string> value = pin_value(w.device_id, w.pins[0]);
    if (!value) return;
    const auto f = proto::split_n<5>(*value);
    const auto start = time_input_time(f.field[0]);
    const auto stop = time_input_time(f.field[1]);
    const uint8_t days = time_input_days(f.field[3]);
    std::string group_zone(f.field[2]);
    if (group_zone.empty()) group_zone = w.time_zone.empty() ? zone : w.time_zone;
    // The board is sent the schedule itself: its BLYNK_WRITE runs at each edge of the window.
    const Action resend{Action::Kind::SetPin, w.pins[0], *value, {}};
    TimeGroup group{{0, w.id, -1}, w.device_id, group_zone, {}, {}};
    if (start) group.slots.push_back(TimeSlot{DailyTime{static_cast<int>(*start), days}, {resend}});
    if (stop) {
        const bool overnight = start && *stop < *start;
        group.slots.push_back(TimeSlot{
            DailyTime{static_cast<int>(*stop), overnight ? next_days(days) : days}, {resend}});
    }
    if (group.slots.empty() || days == 0) return;
    group.signature =
        group.zone + '\n' + std::to_string(w.device_id) + '\n' + w.pins[0].str() + '\n' + *value;
    out.groups.push_back(std::move(group));
}

void read_eventor(const model::Widget& w, const Json& json, const std::string& zone,
                  DashboardAutomation& out) {
    auto rules = json.find("rules");
    if (rules == json.end() || !rules->is_array()) return;
    int index = 0;
    for (const Json& rule : *rules) {
        const GroupKey key{0, w.id, index++};
        if (!rule.is_object()) continue;
        auto active = rule.find("isActive");
        if (active == rule.end() || !active->is_boolean() || !active->get<bool>()) continue;
        std::vector<Action> actions = read_actions(rule);
        if (actions.empty()) continue;
        if (auto time = rule.find("triggerTime"); time != rule.end() && time->is_object()) {
            auto seconds = integer_field(*time, "time");
            if (!valid_time(seconds)) continue;
            std::string rule_zone = string_field(*time, "tzName");
            if (rule_zone.empty()) rule_zone = zone;
            TimeGroup group{key,
                            w.device_id,
                            rule_zone,
                            rule_zone + '\n' + model::dump_json(rule),
                            {TimeSlot{DailyTime{static_cast<int>(*seconds), read_days(*time)},
                                      std::move(actions)}}};
            out.groups.push_back(std::move(group));
            continue;
        }
        auto trigger = rule.find("triggerPin");
        auto condition = rule.find("condition");
        if (trigger == rule.end() || condition == rule.end()) continue;
        auto pin = model::bound_pin(*trigger);
        auto parsed = read_condition(*condition);
        if (!pin || !parsed) continue;
        out.rules.push_back(PinRule{key, w.device_id, *pin, *parsed, std::move(actions)});
    }
}

}  // namespace

std::string dashboard_zone(const model::Dashboard& dash) {
    for (const model::Widget& w : dash.widgets)
        if (w.type == "RTC") return w.time_zone;
    return {};
}

DashboardAutomation read_automation(const model::Dashboard& dash, const PinValue& pin_value) {
    DashboardAutomation out;
    const std::string zone = dashboard_zone(dash);
    for (const model::Widget& w : dash.widgets) {
        if (w.type == "TIME_INPUT") {
            read_time_input(w, zone, pin_value, out);
            continue;
        }
        if (w.type != "TIMER" && w.type != "EVENTOR") continue;
        std::optional<Json> json = model::parse_json_text(w.json);
        if (!json || !json->is_object()) continue;
        if (w.type == "TIMER")
            read_timer(w, *json, zone, out);
        else
            read_eventor(w, *json, zone, out);
    }
    for (TimeGroup& g : out.groups)
        g.key.dash_id = dash.id;
    for (PinRule& r : out.rules)
        r.key.dash_id = dash.id;
    for (SchedulePin& p : out.schedule_pins)
        p.dash_id = dash.id;
    return out;
}

}  // namespace blynk::automation
