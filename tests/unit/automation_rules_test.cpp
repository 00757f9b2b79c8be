#include <map>
#include <string>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/automation/definitions.hpp"
#include "server/model/widget.hpp"

namespace blynk::automation {
namespace {

using namespace std::string_literals;

Condition condition(const char* json) {
    auto c = read_condition(nlohmann::ordered_json::parse(json));
    EXPECT_TRUE(c) << json;
    return c.value_or(Condition{});
}

TEST(AutomationCondition, NumbersCompareAsJava) {
    EXPECT_TRUE(condition(R"({"type":"GT","value":10})").matches("10.5", {}));
    EXPECT_FALSE(condition(R"({"type":"GT","value":10})").matches("10", {}));
    EXPECT_TRUE(condition(R"({"type":"GTE","value":10})").matches("10", {}));
    EXPECT_TRUE(condition(R"({"type":"LT","value":0})").matches("-1", {}));
    EXPECT_TRUE(condition(R"({"type":"LTE","value":0})").matches("0", {}));
    EXPECT_TRUE(condition(R"({"type":"EQ","value":1})").matches("1.0", {}));
    EXPECT_TRUE(condition(R"({"type":"NEQ","value":1})").matches("2", {}));
    EXPECT_TRUE(condition(R"({"type":"BETWEEN","left":1,"right":3})").matches("2", {}));
    EXPECT_FALSE(condition(R"({"type":"BETWEEN","left":1,"right":3})").matches("3", {}))
        << "the bounds are excluded";
    EXPECT_TRUE(condition(R"({"type":"NOT_BETWEEN","left":1,"right":3})").matches("3", {}));
}

TEST(AutomationCondition, TextThatIsNoNumberMatchesOnlyNegations) {
    EXPECT_FALSE(condition(R"({"type":"GT","value":0})").matches("high", {}));
    EXPECT_FALSE(condition(R"({"type":"EQ","value":0})").matches("", {}));
    EXPECT_TRUE(condition(R"({"type":"NEQ","value":0})").matches("high", {}));
    EXPECT_TRUE(condition(R"({"type":"STR_EQUAL","value":"on"})").matches("on", {}));
    EXPECT_FALSE(condition(R"({"type":"STR_EQUAL","value":"on"})").matches("ON", {}));
    EXPECT_TRUE(condition(R"({"type":"STR_NOT_EQUAL","value":"on"})").matches("off", {}));
}

TEST(AutomationCondition, ChangedComparesWithThePreviousValue) {
    const Condition changed = condition(R"({"type":"CHANGED"})");
    EXPECT_TRUE(changed.matches("1", std::nullopt));
    EXPECT_FALSE(changed.matches("1", std::string("1")));
    EXPECT_TRUE(changed.matches("2", std::string("1")));
}

TEST(AutomationCondition, MalformedConditionsAreRefused) {
    for (const char* json :
         {R"({"type":"GT"})", R"({"type":"XX","value":1})", R"({"value":1})",
          R"({"type":"BETWEEN","left":1})", R"({"type":"GT","value":"1"})", R"([])"})
        EXPECT_FALSE(read_condition(nlohmann::ordered_json::parse(json))) << json;
}

model::Dashboard dashboard(std::initializer_list<const char*> widgets) {
    model::Dashboard dash;
    dash.id = 7;
    for (const char* text : widgets) {
        std::string error;
        auto w = model::parse_widget(text, error);
        EXPECT_TRUE(w) << error;
        if (w) dash.widgets.push_back(*w);
    }
    return dash;
}

/// read_automation with the given pin values of device 0 (none by default).
DashboardAutomation read_widgets(const model::Dashboard& dash,
                                 std::map<model::PinKey, std::string> values = {}) {
    return read_automation(dash, [&](int device_id, model::PinKey pin) {
        auto it = values.find(pin);
        return device_id == 0 && it != values.end() ? std::optional(it->second) : std::nullopt;
    });
}

TEST(AutomationDefinitions, TimerWithStartAndStopInTheDashboardZone) {
    auto a = read_widgets(dashboard(
        {R"({"id":1,"type":"TIMER","deviceId":0,"pinType":"DIGITAL","pin":5,"startTime":3600,"startValue":"1","stopTime":7200,"stopValue":"0"})",
         R"({"id":2,"type":"RTC","tzName":"Europe/Berlin"})"}));
    ASSERT_EQ(a.groups.size(), 1u);
    const TimeGroup& g = a.groups[0];
    EXPECT_EQ(g.key, (GroupKey{7, 1, -1}));
    EXPECT_EQ(g.zone, "Europe/Berlin");
    ASSERT_EQ(g.slots.size(), 2u);
    EXPECT_EQ(g.slots[0].when.seconds_of_day, 3600);
    EXPECT_EQ(g.slots[0].actions[0].pin, (model::PinKey{model::PinType::Digital, 5}));
    EXPECT_EQ(g.slots[0].actions[0].value, "1");
    EXPECT_EQ(g.slots[1].actions[0].value, "0");
}

TEST(AutomationDefinitions, IncompleteTimersAreSkipped) {
    auto a = read_widgets(dashboard(
        {R"({"id":1,"type":"TIMER","pinType":"VIRTUAL","pin":1,"startTime":-1,"startValue":"1","stopTime":60,"stopValue":""})",
         R"({"id":2,"type":"TIMER","startTime":60,"startValue":"1"})",
         R"({"id":3,"type":"TIMER","pinType":"VIRTUAL","pin":1,"startTime":90000,"startValue":"1"})"}));
    EXPECT_TRUE(a.groups.empty());
}

TEST(AutomationDefinitions, EventorTimeAndPinRules) {
    auto a = read_widgets(dashboard({R"({"id":9,"type":"EVENTOR","deviceId":0,"rules":[
        {"triggerTime":{"id":1,"days":[1,7],"time":600,"tzName":"Asia/Kolkata"},"isActive":true,
         "actions":[{"type":"SETPIN","pin":{"pinType":"VIRTUAL","pin":2},"value":"on"}]},
        {"triggerPin":{"pinType":"VIRTUAL","pin":1},"condition":{"type":"GT","value":30},
         "isActive":true,"actions":[{"type":"SETPIN","pin":{"pinType":"VIRTUAL","pin":3},"value":"1"},
         {"type":"TWIT","message":"x"}]},
        {"triggerPin":{"pinType":"VIRTUAL","pin":1},"condition":{"type":"LT","value":0},
         "isActive":false,"actions":[{"type":"SETPIN","pin":{"pinType":"VIRTUAL","pin":3},"value":"0"}]}
    ]})"}));
    ASSERT_EQ(a.groups.size(), 1u);
    EXPECT_EQ(a.groups[0].key, (GroupKey{7, 9, 0}));
    EXPECT_EQ(a.groups[0].zone, "Asia/Kolkata");
    EXPECT_EQ(a.groups[0].slots[0].when.days, 0x41) << "Monday and Sunday";
    ASSERT_EQ(a.rules.size(), 1u) << "the inactive rule is left out";
    EXPECT_EQ(a.rules[0].key, (GroupKey{7, 9, 1}));
    EXPECT_EQ(a.rules[0].trigger, (model::PinKey{model::PinType::Virtual, 1}));
    ASSERT_EQ(a.rules[0].actions.size(), 1u) << "TWIT is not run";
    EXPECT_EQ(a.rules[0].actions[0].value, "1");
}

constexpr const char* kTimeInput =
    R"({"id":4,"type":"TIME_INPUT","deviceId":0,"pinType":"VIRTUAL","pin":6,"tzName":"Europe/Kiev"})";
const model::PinKey kV6{model::PinType::Virtual, 6};

TEST(AutomationDefinitions, TimeInputScheduleIsItsPinsValueSentAgainAtStartAndStop) {
    const std::string value =
        "25200\0"
        "68400\0"
        "Asia/Tokyo\0"
        "1,3\0"
        "32400"s;
    auto a = read_widgets(dashboard({kTimeInput}), {{kV6, value}});
    ASSERT_EQ(a.schedule_pins.size(), 1u);
    EXPECT_EQ(a.schedule_pins[0], (SchedulePin{7, 0, kV6}));
    ASSERT_EQ(a.groups.size(), 1u);
    const TimeGroup& g = a.groups[0];
    EXPECT_EQ(g.key, (GroupKey{7, 4, -1}));
    EXPECT_EQ(g.zone, "Asia/Tokyo") << "the value's zone, as the board reads it";
    ASSERT_EQ(g.slots.size(), 2u);
    EXPECT_EQ(g.slots[0].when.seconds_of_day, 25200);
    EXPECT_EQ(g.slots[0].when.days, 0b101) << "Monday and Wednesday";
    EXPECT_EQ(g.slots[1].when.seconds_of_day, 68400);
    EXPECT_EQ(g.slots[1].when.days, 0b101);
    for (const TimeSlot& slot : g.slots) {
        ASSERT_EQ(slot.actions.size(), 1u);
        EXPECT_EQ(slot.actions[0].pin, kV6);
        EXPECT_EQ(slot.actions[0].value, value) << "the schedule itself, NULs included";
    }
}

TEST(AutomationDefinitions, TimeInputOvernightStopsTheNextDayAndSunTimesAreNotRun) {
    // Sunday 22:00 to 06:00 stops on Monday; the widget's zone when the value has none.
    auto a = read_widgets(dashboard({kTimeInput}), {{kV6,
                                                     "79200\0"
                                                     "21600\0\0"
                                                     "7"s}});
    ASSERT_EQ(a.groups.size(), 1u);
    EXPECT_EQ(a.groups[0].zone, "Europe/Kiev");
    ASSERT_EQ(a.groups[0].slots.size(), 2u);
    EXPECT_EQ(a.groups[0].slots[0].when.days, 0b1000000) << "Sunday";
    EXPECT_EQ(a.groups[0].slots[1].when.days, 0b0000001) << "Monday";

    // Sunrise to an unset stop: nothing the server can run, but writes to the pin still count.
    a = read_widgets(dashboard({kTimeInput}), {{kV6, "sr\0\0UTC\0"s}});
    EXPECT_TRUE(a.groups.empty());
    EXPECT_EQ(a.schedule_pins.size(), 1u);
    // No value yet; malformed times.
    EXPECT_TRUE(read_widgets(dashboard({kTimeInput})).groups.empty());
    a = read_widgets(dashboard({kTimeInput}), {{kV6, "86400\0-5\0UTC"s}});
    EXPECT_TRUE(a.groups.empty());
}

}  // namespace
}  // namespace blynk::automation
