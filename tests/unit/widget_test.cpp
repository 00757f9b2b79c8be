#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/model/profile_json.hpp"
#include "server/model/widget.hpp"

namespace blynk::model {
namespace {

Widget parsed(std::string_view text) {
    std::string error;
    std::optional<Widget> widget = parse_widget(text, error);
    EXPECT_TRUE(widget) << error << " in " << text;
    return widget.value_or(Widget{});
}

/// The error of a widget text that must be refused; the call itself must not throw.
std::string refusal(std::string_view text) {
    std::string error;
    std::optional<Widget> widget;
    EXPECT_NO_THROW(widget = parse_widget(text, error)) << text;
    EXPECT_FALSE(widget) << text;
    EXPECT_FALSE(error.empty()) << text;
    return error;
}

TEST(WidgetTest, MissingTypeIsAButtonAndTheJsonIsKeptCompactInSentOrder) {
    const Widget w = parsed(R"({ "id" : 12, "x" : 1, "label" : "Lamp" })");
    EXPECT_EQ(w.id, 12);
    EXPECT_EQ(w.type, "BUTTON");
    EXPECT_EQ(w.device_id, 0);
    EXPECT_TRUE(w.pins.empty());
    EXPECT_EQ(w.json, R"({"id":12,"x":1,"label":"Lamp"})");
}

TEST(WidgetTest, OnePinWidgetReadsItsFieldsAndKeepsUnknownOnes) {
    const char* text =
        R"({"type":"GAUGE","id":7,"x":0,"y":2,"width":4,"height":2,"deviceId":3,)"
        R"("pinType":"VIRTUAL","pin":5,"frequency":1000,"future":{"a":[1,2.5,null]}})";
    const Widget w = parsed(text);
    EXPECT_EQ(w.id, 7);
    EXPECT_EQ(w.type, "GAUGE");
    EXPECT_EQ(w.device_id, 3);
    EXPECT_EQ(w.width, 4);
    EXPECT_EQ(w.height, 2);
    EXPECT_EQ(w.frequency_ms, 1000);
    ASSERT_EQ(w.pins.size(), 1u);
    EXPECT_EQ(w.pins[0], (PinKey{PinType::Virtual, 5}));
    EXPECT_EQ(w.json, text);
}

TEST(WidgetTest, PinMinusOneIsUnboundAndNullPinsAreIgnored) {
    EXPECT_TRUE(parsed(R"({"id":1,"pinType":"VIRTUAL","pin":-1})").pins.empty());
    EXPECT_TRUE(parsed(R"({"id":1,"pinType":null,"pin":3})").pins.empty());
    EXPECT_TRUE(parsed(R"({"id":1,"pin":3})").pins.empty());
}

TEST(WidgetTest, PinsArrayGivesEveryBoundStreamInOrderAfterTheTopLevelPin) {
    const Widget w =
        parsed(R"({"id":3,"type":"ENHANCED_GRAPH","pinType":"DIGITAL","pin":2,"pins":[)"
               R"({"pin":1,"pinType":"VIRTUAL"},{"pin":-1,"pinType":"VIRTUAL"},"junk",)"
               R"({"pinType":"DIGITAL","pin":13},{"pinType":"ANALOG","pin":0}]})");
    const std::vector<PinKey> expected = {
        {PinType::Digital, 2}, {PinType::Virtual, 1}, {PinType::Digital, 13}, {PinType::Analog, 0}};
    EXPECT_EQ(w.pins, expected);
}

TEST(WidgetTest, TimeZoneAndFractionalNumbersAreRead) {
    const Widget rtc = parsed(R"({"id":4,"type":"RTC","tzName":"Europe/Kyiv"})");
    EXPECT_EQ(rtc.time_zone, "Europe/Kyiv");
    EXPECT_EQ(parsed(R"({"id":4,"type":"RTC"})").time_zone, "");
    const Widget gauge = parsed(R"({"id":5,"frequency":1500.0,"width":2.9})");
    EXPECT_EQ(gauge.frequency_ms, 1500);
    EXPECT_EQ(gauge.width, 2);
    EXPECT_EQ(parsed(R"({"id":-9223372036854775808})").id, INT64_MIN);
}

TEST(WidgetTest, BadTextAndWrongTypesAreRefusedWithoutThrowing) {
    EXPECT_EQ(refusal("not json"), "widget is not valid JSON");
    EXPECT_EQ(refusal("[1]"), "widget is not a JSON object");
    EXPECT_EQ(refusal("{\"id\":1,\"label\":\"\xff\"}"), "widget is not valid JSON");
    EXPECT_EQ(refusal(std::string(100, '[')), "widget is not valid JSON");
    EXPECT_EQ(refusal(R"({"x":1})"), "widget has no integer \"id\"");
    EXPECT_EQ(refusal(R"({"id":"1"})"), "widget has no integer \"id\"");
    EXPECT_EQ(refusal(R"({"id":1.5})"), "widget has no integer \"id\"");
    EXPECT_EQ(refusal(R"({"id":18446744073709551615})"), "widget has no integer \"id\"");
    EXPECT_EQ(refusal(R"({"id":1,"type":5})"),
              "widget field \"type\" has the wrong type or is out of range");
    EXPECT_EQ(refusal(R"({"id":1,"pinType":"VIRTUAL","pin":"5"})"),
              "widget field \"pin/pinType\" has the wrong type or is out of range");
    refusal(R"({"id":1,"pinType":"SERIAL","pin":5})");
    refusal(R"({"id":1,"pinType":"VIRTUAL","pin":256})");
    refusal(R"({"id":1,"pinType":7,"pin":1})");
    refusal(R"({"id":1,"pins":[{"pinType":"VIRTUAL","pin":1.5}]})");
    EXPECT_EQ(refusal(R"({"id":1,"deviceId":"0"})"),
              "widget field \"deviceId\" has the wrong type or is out of range");
    refusal(R"({"id":1,"deviceId":1e300})");
    refusal(R"({"id":1,"deviceId":4294967296})");
    refusal(R"({"id":1,"frequency":-1e300})");
    refusal(R"({"id":1,"width":[]})");
}

TEST(WidgetTest, ReadingAParsedValueMatchesParsingTheText) {
    const auto json =
        nlohmann::ordered_json::parse(R"({"id":2,"type":"LED","pinType":"ANALOG","pin":1})");
    std::string error;
    const std::optional<Widget> w = read_widget(json, error);
    ASSERT_TRUE(w) << error;
    EXPECT_EQ(w->pins, (std::vector<PinKey>{{PinType::Analog, 1}}));
    EXPECT_EQ(w->json, json.dump());
    EXPECT_FALSE(read_widget(nlohmann::ordered_json("text"), error));
    // A std::string picks the text overload.
    EXPECT_TRUE(parse_widget(std::string(R"({"id":1})"), error));
}

TEST(WidgetTest, PinTypeNamesAndBoundPin) {
    EXPECT_EQ(pin_type_from_name("VIRTUAL"), PinType::Virtual);
    EXPECT_EQ(pin_type_from_name("DIGITAL"), PinType::Digital);
    EXPECT_EQ(pin_type_from_name("ANALOG"), PinType::Analog);
    EXPECT_FALSE(pin_type_from_name("virtual"));
    EXPECT_EQ(pin_type_name(PinType::Analog), "ANALOG");
    using Json = nlohmann::ordered_json;
    EXPECT_EQ(bound_pin(Json::parse(R"({"pinType":"VIRTUAL","pin":7})")),
              (PinKey{PinType::Virtual, 7}));
    EXPECT_FALSE(bound_pin(Json::parse(R"({"pinType":"VIRTUAL","pin":-1})")));
    EXPECT_FALSE(bound_pin(Json::parse(R"({"pinType":"VIRTUAL","pin":"7"})")));
    EXPECT_FALSE(bound_pin(Json::parse("[7]")));
}

// ---- SET_WIDGET_PROPERTY ----

/// Applies a property that must be accepted; returns the widget's JSON afterwards.
std::string with_property(std::string_view widget_text, std::string_view property,
                          std::string_view value) {
    Widget w = parsed(widget_text);
    std::string error;
    EXPECT_TRUE(apply_widget_property(w, property, value, error)) << property << ": " << error;
    return w.json;
}

/// A property that must be refused: the error, with the widget left as it was.
std::string refused_property(std::string_view property, std::string_view value) {
    Widget w = parsed(R"({"id":1,"type":"SLIDER","min":0})");
    const std::string before = w.json;
    std::string error;
    bool applied = true;
    EXPECT_NO_THROW(applied = apply_widget_property(w, property, value, error));
    EXPECT_FALSE(applied) << property;
    EXPECT_EQ(w.json, before);
    return error;
}

TEST(WidgetPropertyTest, TextPropertiesReplaceInPlaceOrAppend) {
    EXPECT_EQ(with_property(R"({"id":1,"label":"old","x":0})", "label", "new"),
              R"({"id":1,"label":"new","x":0})");
    EXPECT_EQ(with_property(R"({"id":1})", "suffix", "°C"), R"({"id":1,"suffix":"°C"})");
    EXPECT_EQ(with_property(R"({"id":1})", "url", "http://x/a.mp4"),
              R"({"id":1,"url":"http://x/a.mp4"})");
    // Hardware may send any bytes: the stored JSON stays valid UTF-8.
    EXPECT_EQ(with_property(R"({"id":1})", "label", "a\xff"),
              "{\"id\":1,\"label\":\"a\xEF\xBF\xBD\"}");
}

TEST(WidgetPropertyTest, ColorsBecomeTheJavaSignedRgbaInt) {
    EXPECT_EQ(with_property(R"({"id":1,"color":600084223})", "color", "#FF0000"),
              R"({"id":1,"color":-16776961})");
    EXPECT_EQ(with_property(R"({"id":1})", "color", "#23C48E"),
              R"({"id":1,"color":600084223})");  // 0x23C48EFF
    EXPECT_EQ(with_property(R"({"id":1})", "onColor", "#000000"), R"({"id":1,"onColor":255})");
    EXPECT_EQ(with_property(R"({"id":1})", "offColor", "0x00ff00"),
              R"({"id":1,"offColor":16711935})");
    EXPECT_EQ(with_property(R"({"id":1})", "onBackColor", "16711680"),
              R"({"id":1,"onBackColor":-16776961})");
    EXPECT_EQ(with_property(R"({"id":1})", "offBackColor", "-1"), R"({"id":1,"offBackColor":-1})");
    // The app's "use the default colour" flag is cleared, as the Java server did.
    EXPECT_EQ(with_property(R"({"id":1,"isDefaultColor":true,"x":1})", "color", "#FF0000"),
              R"({"id":1,"isDefaultColor":false,"x":1,"color":-16776961})");
    EXPECT_EQ(refused_property("color", "red"),
              "widget property \"color\" needs a color (#RRGGBB)");
    refused_property("color", "#");
    refused_property("color", "#1FFFFFFFF");
    refused_property("color", "--1");
    refused_property("color", "");
}

TEST(WidgetPropertyTest, NumericPropertiesAreJsonNumbers) {
    EXPECT_EQ(with_property(R"({"id":1,"min":0,"max":100})", "max", "255"),
              R"({"id":1,"min":0,"max":255})");
    EXPECT_EQ(with_property(R"({"id":1})", "min", "-1.5"), R"({"id":1,"min":-1.5})");
    EXPECT_EQ(with_property(R"({"id":1})", "step", "0.25"), R"({"id":1,"step":0.25})");
    EXPECT_EQ(with_property(R"({"id":1})", "opacity", "50"), R"({"id":1,"opacity":50})");
    EXPECT_EQ(with_property(R"({"id":1})", "scale", "1e2"), R"({"id":1,"scale":100.0})");
    EXPECT_EQ(with_property(R"({"id":1})", "rotation", "90"), R"({"id":1,"rotation":90})");
    EXPECT_EQ(with_property(R"({"id":1})", "maximumFractionDigits", "2"),
              R"({"id":1,"maximumFractionDigits":2})");
    EXPECT_EQ(refused_property("min", "ten"), "widget property \"min\" needs a number");
    EXPECT_EQ(refused_property("maximumFractionDigits", "1.5"),
              "widget property \"maximumFractionDigits\" needs an integer");
    refused_property("max", "inf");
    refused_property("max", "nan");
    refused_property("max", "1e999");
    refused_property("max", " 1");
    refused_property("max", "");
}

TEST(WidgetPropertyTest, ListsSplitOnNulAndIsOnPlayIsABool) {
    EXPECT_EQ(with_property(R"({"id":1,"type":"MENU"})", "labels", std::string("a\0b\0c", 5)),
              R"({"id":1,"type":"MENU","labels":["a","b","c"]})");
    EXPECT_EQ(with_property(R"({"id":1})", "urls", "http://one"),
              R"({"id":1,"urls":["http://one"]})");
    EXPECT_EQ(with_property(R"({"id":1,"type":"PLAYER"})", "isOnPlay", "TRUE"),
              R"({"id":1,"type":"PLAYER","isOnPlay":true})");
    EXPECT_EQ(with_property(R"({"id":1,"isOnPlay":true})", "isOnPlay", "0"),
              R"({"id":1,"isOnPlay":false})");
    EXPECT_EQ(refused_property("isOnPlay", "maybe"),
              "widget property \"isOnPlay\" needs true or false");
}

TEST(WidgetPropertyTest, StyledButtonStatesGetTheOnOffProperties) {
    const char* button =
        R"({"id":1,"type":"STYLED_BUTTON","onButtonState":{"text":"ON","textColor":1},)"
        R"("offButtonState":{"text":"OFF"}})";
    EXPECT_EQ(with_property(button, "onLabel", "Go"),
              R"({"id":1,"type":"STYLED_BUTTON","onButtonState":{"text":"Go","textColor":1},)"
              R"("offButtonState":{"text":"OFF"}})");
    EXPECT_EQ(with_property(button, "offBackColor", "#FF0000"),
              R"({"id":1,"type":"STYLED_BUTTON","onButtonState":{"text":"ON","textColor":1},)"
              R"("offButtonState":{"text":"OFF","backgroundColor":-16776961}})");
    // Without the state object nothing changes, and the call still succeeds (as in Java).
    EXPECT_EQ(with_property(R"({"id":1,"type":"STYLED_BUTTON"})", "onColor", "#FFFFFF"),
              R"({"id":1,"type":"STYLED_BUTTON"})");
    // A plain button keeps these at the top level.
    EXPECT_EQ(with_property(R"({"id":1,"type":"BUTTON"})", "onLabel", "Go"),
              R"({"id":1,"type":"BUTTON","onLabel":"Go"})");
}

TEST(WidgetPropertyTest, UnknownPropertyIsRefusedAndFieldsAreReDerived) {
    EXPECT_EQ(refused_property("width", "3"), "unknown widget property");
    EXPECT_EQ(refused_property("", "3"), "unknown widget property");
    Widget w = parsed(R"({"id":9,"type":"SLIDER","deviceId":2,"pinType":"VIRTUAL","pin":4})");
    std::string error;
    ASSERT_TRUE(apply_widget_property(w, "max", "10", error)) << error;
    EXPECT_EQ(w.id, 9);
    EXPECT_EQ(w.type, "SLIDER");
    EXPECT_EQ(w.device_id, 2);
    EXPECT_EQ(w.pins, (std::vector<PinKey>{{PinType::Virtual, 4}}));
}

}  // namespace
}  // namespace blynk::model
