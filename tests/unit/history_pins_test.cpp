// Which pins keep history: the chart widgets' JSON, and which values are numbers.

#include <gtest/gtest.h>

#include <string_view>

#include "server/hub/history_pins.hpp"
#include "server/model/widget.hpp"

namespace blynk::hub {
namespace {

using model::PinKey;
using model::PinType;

const PinKey kV1{PinType::Virtual, 1}, kV2{PinType::Virtual, 2}, kA0{PinType::Analog, 0};

ChartedPins charted(std::initializer_list<const char*> widgets, std::vector<int> devices = {0, 1}) {
    model::Dashboard dash;
    for (const char* json : widgets) {
        std::string error;
        auto w = model::parse_widget(json, error);
        EXPECT_TRUE(w) << error;
        if (w) dash.widgets.push_back(*w);
    }
    return ChartedPins::of(dash, devices);
}

TEST(ChartedPins, SuperChartStreamsNameTheirDevice) {
    auto pins = charted({R"({"id":1,"type":"ENHANCED_GRAPH","dataStreams":[)"
                         R"({"targetId":1,"pin":{"pin":1,"pinType":"VIRTUAL"}},)"
                         R"({"targetId":0,"pin":{"pin":0,"pinType":"ANALOG"}}]})"});
    EXPECT_TRUE(pins.contains(1, kV1));
    EXPECT_FALSE(pins.contains(0, kV1));
    EXPECT_TRUE(pins.contains(0, kA0));
    EXPECT_FALSE(pins.contains(1, kA0));
}

TEST(ChartedPins, ATagOrSelectorTargetCoversEveryDevice) {
    auto pins = charted({R"({"id":1,"type":"ENHANCED_GRAPH","dataStreams":[)"
                         R"({"targetId":200000,"pin":{"pin":2,"pinType":"VIRTUAL"}}]})"});
    EXPECT_TRUE(pins.contains(0, kV2));
    EXPECT_TRUE(pins.contains(1, kV2));
    EXPECT_FALSE(pins.contains(0, kV1));
}

TEST(ChartedPins, OldGraphsReportsAndTileTemplates) {
    auto pins = charted({
        R"({"id":1,"type":"GRAPH","deviceId":1,"pinType":"VIRTUAL","pin":1})",
        R"({"id":2,"type":"HISTORY_GRAPH","pins":[{"pinType":"ANALOG","pin":0},{"pin":-1}]})",
        R"({"id":3,"type":"DEVICE_TILES","templates":[{"widgets":[)"
        R"({"id":4,"type":"ENHANCED_GRAPH","dataStreams":[{"pin":{"pin":2,"pinType":"VIRTUAL"}}]}]}]})",
        R"({"id":5,"type":"GAUGE","deviceId":0,"pinType":"VIRTUAL","pin":7})",
    });
    EXPECT_TRUE(pins.contains(1, kV1));
    EXPECT_FALSE(pins.contains(0, kV1));
    EXPECT_TRUE(pins.contains(0, kA0));  // HISTORY_GRAPH without deviceId: device 0
    EXPECT_TRUE(pins.contains(0, kV2));  // a tile template: every device
    EXPECT_TRUE(pins.contains(1, kV2));
    EXPECT_FALSE(pins.contains(0, PinKey{PinType::Virtual, 7}));  // a gauge is no chart
}

TEST(NumericValue, NumbersAsTheJavaServerParsedThem) {
    EXPECT_EQ(numeric_value("42"), 42.0);
    EXPECT_EQ(numeric_value("-2.5"), -2.5);
    EXPECT_EQ(numeric_value("+3"), 3.0);
    EXPECT_EQ(numeric_value("1e3"), 1000.0);
    using namespace std::string_view_literals;
    for (std::string_view text :
         {""sv, "abc"sv, "1 2"sv, "12abc"sv, "nan"sv, "inf"sv, "1\0002"sv, "0x10"sv})
        EXPECT_FALSE(numeric_value(text)) << text;  // "1\0002": a multi-value
}

}  // namespace
}  // namespace blynk::hub
