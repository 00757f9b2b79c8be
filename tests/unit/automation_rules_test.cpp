#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/automation/definitions.hpp"
#include "server/model/widget.hpp"

namespace blynk::automation {
namespace {

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

TEST(AutomationDefinitions, TimerWithStartAndStopInTheDashboardZone) {
    auto a = read_automation(dashboard(
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
    auto a = read_automation(dashboard(
        {R"({"id":1,"type":"TIMER","pinType":"VIRTUAL","pin":1,"startTime":-1,"startValue":"1","stopTime":60,"stopValue":""})",
         R"({"id":2,"type":"TIMER","startTime":60,"startValue":"1"})",
         R"({"id":3,"type":"TIMER","pinType":"VIRTUAL","pin":1,"startTime":90000,"startValue":"1"})"}));
    EXPECT_TRUE(a.groups.empty());
}

TEST(AutomationDefinitions, EventorTimeAndPinRules) {
    auto a = read_automation(dashboard({R"({"id":9,"type":"EVENTOR","deviceId":0,"rules":[
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

}  // namespace
}  // namespace blynk::automation
