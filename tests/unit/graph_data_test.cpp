#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/proto/graph_data.hpp"
#include "common/util/java_double.hpp"
#include "common/util/zlib.hpp"
#include "server/model/graph_period.hpp"
#include "server/model/history_csv.hpp"
#include "server/model/superchart.hpp"
#include "server/model/widget.hpp"
#include "tests/support/gunzip.hpp"

namespace blynk {
namespace {

std::string bytes(std::initializer_list<int> v) {
    std::string out;
    for (int b : v)
        out.push_back(static_cast<char>(b));
    return out;
}

TEST(GraphDataTest, BodyIsDashIdThenCountAndBigEndianRecordsPerStream) {
    std::string body = proto::begin_graph_data(7);
    const std::vector<proto::GraphSample> first = {{1.5, 1000}, {-2.0, 0x0102030405060708}};
    proto::append_graph_stream(body, first);
    proto::append_graph_stream(body, {});
    const std::string expected =
        bytes({0, 0, 0, 7, 0, 0, 0, 2}) + bytes({0x3f, 0xf8, 0, 0, 0, 0, 0, 0}) +
        bytes({0, 0, 0, 0, 0, 0, 0x03, 0xe8}) + bytes({0xc0, 0, 0, 0, 0, 0, 0, 0}) +
        bytes({1, 2, 3, 4, 5, 6, 7, 8}) + bytes({0, 0, 0, 0});
    EXPECT_EQ(body, expected);

    auto parsed = proto::parse_graph_data(body);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->dash_id, 7);
    ASSERT_EQ(parsed->streams.size(), 2u);
    EXPECT_EQ(parsed->streams[0], first);
    EXPECT_TRUE(parsed->streams[1].empty());
}

TEST(GraphDataTest, TruncatedBodiesAreRefused) {
    std::string body = proto::begin_graph_data(1);
    const std::vector<proto::GraphSample> one = {{3.0, 5}};
    proto::append_graph_stream(body, one);
    for (size_t cut = 1; cut < body.size(); ++cut) {
        if (cut == 4) continue;  // the dashboard id alone is a chart without streams
        EXPECT_FALSE(proto::parse_graph_data(body.substr(0, cut))) << cut;
    }
    EXPECT_FALSE(proto::parse_graph_data(body + bytes({0, 0, 0, 9})));
}

TEST(GraphDataTest, CompressedBodyIsAZlibStreamAsJavaDeflaterOutputStreamWrites) {
    std::string body = proto::begin_graph_data(1);
    const std::vector<proto::GraphSample> one = {{3.0, 5}};
    proto::append_graph_stream(body, one);
    const std::string packed = util::zlib_compress(body);
    EXPECT_EQ(packed.substr(0, 2), bytes({0x78, 0x9c}));
    EXPECT_EQ(util::zlib_decompress(packed, 1024), body);
    // Chart answers are compressed fast (level 1); the app inflates any level.
    const std::string fast = util::zlib_compress(body, util::Compression::Fast);
    EXPECT_EQ(fast.substr(0, 2), bytes({0x78, 0x01}));
    EXPECT_EQ(util::zlib_decompress(fast, 1024), body);
    EXPECT_EQ(util::zlib_compress(body), packed) << "the default level again on the same thread";
}

TEST(GraphPeriodTest, EveryJavaPeriodWithItsPointsAndResolution) {
    using R = model::HistoryResolution;
    struct Expect {
        const char* name;
        uint32_t points;
        R resolution;
    };
    const Expect expected[] = {
        {"LIVE", 60, R::Raw},
        {"FIFTEEN_MINUTES", 15, R::Minute},
        {"THIRTY_MINUTES", 30, R::Minute},
        {"ONE_HOUR", 60, R::Minute},
        {"THREE_HOURS", 180, R::Minute},
        {"SIX_HOURS", 360, R::Minute},
        {"TWELVE_HOURS", 720, R::Minute},
        {"DAY", 1440, R::Minute},
        {"THREE_DAYS", 72, R::Hour},
        {"WEEK", 168, R::Hour},
        {"TWO_WEEKS", 336, R::Hour},
        {"MONTH", 720, R::Hour},
        {"THREE_MONTHS", 2160, R::Hour},
        {"ALL", 8640, R::Hour},
        {"N_DAY", 24, R::Hour},
        {"TWO_DAYS", 48, R::Hour},
        {"N_THREE_DAYS", 72, R::Hour},
        {"N_WEEK", 7, R::Day},
        {"N_TWO_WEEKS", 14, R::Day},
        {"N_MONTH", 30, R::Day},
        {"N_THREE_MONTHS", 90, R::Day},
        {"SIX_MONTHS", 180, R::Day},
        {"ONE_YEAR", 360, R::Day},
    };
    EXPECT_EQ(model::graph_periods().size(), std::size(expected));
    for (const Expect& e : expected) {
        auto period = model::find_graph_period(e.name);
        ASSERT_TRUE(period) << e.name;
        EXPECT_EQ(period->points, e.points) << e.name;
        EXPECT_EQ(period->resolution, e.resolution) << e.name;
    }
    EXPECT_FALSE(model::find_graph_period("one_hour"));
    EXPECT_FALSE(model::find_graph_period(""));
}

TEST(GraphPeriodTest, PagesAskForTheNewestRecordsAndSkipTheNewerPages) {
    const auto period = *model::find_graph_period("N_WEEK");  // 7 days
    const model::HistoryQuery q0 = model::graph_query(period, 0);
    EXPECT_EQ(q0.resolution, model::HistoryResolution::Day);
    EXPECT_EQ(q0.limit, 7u);
    EXPECT_TRUE(q0.newest_first);
    EXPECT_EQ(model::graph_query(period, 2).limit, 21u);

    std::vector<model::HistoryPoint> answer;
    for (int i = 0; i < 10; ++i)
        answer.push_back({.time_ms = i, .value = double(i)});
    auto page0 = model::graph_page(period, 0, std::span(answer).last(7));
    ASSERT_EQ(page0.size(), 7u);
    EXPECT_EQ(page0.front().time_ms, 3);
    // Page 1 of 10 stored days: the 3 days before the newest 7.
    auto page1 = model::graph_page(period, 1, answer);
    ASSERT_EQ(page1.size(), 3u);
    EXPECT_EQ(page1.front().time_ms, 0);
    EXPECT_EQ(page1.back().time_ms, 2);
    EXPECT_TRUE(model::graph_page(period, 2, answer).empty());
}

TEST(JavaDoubleTest, PrintsAsJavaDoubleToString) {
    EXPECT_EQ(util::java_double(10), "10.0");
    EXPECT_EQ(util::java_double(1.5), "1.5");
    EXPECT_EQ(util::java_double(-0.25), "-0.25");
    EXPECT_EQ(util::java_double(0.001), "0.001");
    EXPECT_EQ(util::java_double(0.0001), "1.0E-4");
    EXPECT_EQ(util::java_double(1.5e-5), "1.5E-5");
    EXPECT_EQ(util::java_double(9999999), "9999999.0");
    EXPECT_EQ(util::java_double(10000000), "1.0E7");
    EXPECT_EQ(util::java_double(123456789.5), "1.234567895E8");
    EXPECT_EQ(util::java_double(0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(util::java_double(100), "100.0");
    EXPECT_EQ(util::java_double(0), "0.0");
    EXPECT_EQ(util::java_double(-0.0), "-0.0");
    EXPECT_EQ(util::java_double(std::nan("")), "NaN");
    EXPECT_EQ(util::java_double(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(HistoryCsvTest, LinesAreValueTimeDeviceAndTheFileIsGzip) {
    const std::vector<model::HistoryPoint> points = {{.time_ms = 1700000000000, .value = 21.5},
                                                     {.time_ms = 1700000060000, .value = 22}};
    const std::string csv = model::history_csv(points, 3);
    EXPECT_EQ(csv, "21.5,1700000000000,3\n22.0,1700000060000,3\n");
    const std::string gz = util::gzip_compress(csv);
    EXPECT_EQ(gz.substr(0, 3), bytes({0x1f, 0x8b, 0x08}));
    EXPECT_EQ(test::gunzip(gz), csv);
    EXPECT_EQ(model::history_csv_file_name("a@b.c", 1, 0, {model::PinType::Virtual, 7}, 42),
              "a@b.c_1_0_v7_42.csv.gz");
    EXPECT_EQ(model::history_csv_file_name("x\"y;z@b.c", 1, 0, {model::PinType::Digital, 2}, 1),
              "x_y_z@b.c_1_0_d2_1.csv.gz");
}

TEST(SuperchartTest, StreamsKeepTheirIndexTargetPinAndFunction) {
    std::string error;
    auto widget = model::parse_widget(
        R"({"id":5,"type":"ENHANCED_GRAPH","dataStreams":[)"
        R"({"targetId":2,"pin":{"pinType":"VIRTUAL","pin":4},"functionType":"MAX"},)"
        R"({"pin":{"pin":-1}}, 7,)"
        R"({"targetId":99999999999,"pin":{"pinType":"ANALOG","pin":1},"functionType":"SUM"}]})",
        error);
    ASSERT_TRUE(widget) << error;
    const auto streams = model::chart_streams(*widget);
    ASSERT_EQ(streams.size(), 4u);
    EXPECT_EQ(streams[0].target_id, 2);
    EXPECT_EQ(streams[0].pin, (model::PinKey{model::PinType::Virtual, 4}));
    EXPECT_EQ(streams[0].function, model::GraphFunction::Max);
    EXPECT_FALSE(streams[1].pin);
    EXPECT_FALSE(streams[2].pin);
    EXPECT_EQ(streams[3].target_id, 0);
    EXPECT_EQ(streams[3].function, model::GraphFunction::Sum);

    const model::HistoryPoint bucket{.time_ms = 0, .value = 2, .min = 1, .max = 4, .count = 3};
    EXPECT_EQ(model::graph_value(bucket, model::GraphFunction::Avg), 2);
    EXPECT_EQ(model::graph_value(bucket, model::GraphFunction::Min), 1);
    EXPECT_EQ(model::graph_value(bucket, model::GraphFunction::Max), 4);
    EXPECT_EQ(model::graph_value(bucket, model::GraphFunction::Sum), 6);
    EXPECT_EQ(model::graph_value(bucket, model::GraphFunction::Median), 2);

    widget->type = "BUTTON";
    EXPECT_TRUE(model::chart_streams(*widget).empty());
}

}  // namespace
}  // namespace blynk
