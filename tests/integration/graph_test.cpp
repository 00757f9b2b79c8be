// SuperChart history end to end (server-surface.md §5.2, §6.2): values written by a board over
// hardware TCP, read back by the app's GET_ENHANCED_GRAPH_DATA (deflated Java binary layout),
// the REST CSV export (gzip) and the console's JSON range endpoint, and deleted again.

#include <sstream>
#include <thread>

#include "common/proto/graph_data.hpp"
#include "common/util/clock.hpp"
#include "common/util/zlib.hpp"
#include "tests/support/app_fixture.hpp"
#include "tests/support/gunzip.hpp"
#include "tests/support/http_client.hpp"

namespace blynk::test {
namespace {

constexpr int64_t kChartId = 300;
// Two streams on the CLI-made device 0 of dashboard 1: V5 (averages) and V6 (maxima, never
// written).
const std::string kChart = R"({"type":"ENHANCED_GRAPH","id":300,"x":0,"y":2,"width":8,"height":4,
    "dataStreams":[
      {"title":"Temp","targetId":0,"pin":{"pinType":"VIRTUAL","pin":5},"functionType":"AVG"},
      {"title":"Peak","targetId":0,"pin":{"pinType":"VIRTUAL","pin":6},"functionType":"MAX"}],
    "selectedPeriods":["LIVE","ONE_HOUR","N_DAY"]})";

class GraphTest : public AppTest {
protected:
    void SetUp() override {
        AppTest::SetUp();
        app_ = logged_in_app();
        app_->send(cmd::kCreateWidget, 2, body({"1", kChart}));
        ASSERT_TRUE(app_->expect_response(2, status::kOk));
        app_->send(
            cmd::kCreateWidget, 3,
            body(
                {"1",
                 R"({"type":"BUTTON","id":301,"width":2,"height":2,"pinType":"VIRTUAL","pin":5})"}));
        ASSERT_TRUE(app_->expect_response(3, status::kOk));
        board_ = board(cli_token_);
        ASSERT_TRUE(app_->expect_frame(cmd::kHardwareConnected, 1, "1-0"));
    }

    /// The board writes `values` to V5 one by one, then waits for them to be stored.
    void write_v5(const std::vector<double>& values) {
        uint16_t id = 100;
        for (double v : values) {
            std::ostringstream text;
            text << v;
            board_->send_frame(cmd::kHardware, id++, body({"vw", "5", text.str()}));
        }
        // Stored by the next flush (storage.flush.interval.ms = 100); the app reads them back.
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
    }

    /// GET_ENHANCED_GRAPH_DATA answered with data: the decoded body.
    proto::GraphData graph(const std::string& request, uint16_t id) {
        app_->send(cmd::kGetEnhancedGraphData, id, request);
        auto reply = app_->read_frame();
        if (!reply || reply->command != cmd::kGetEnhancedGraphData || reply->id != id) {
            ADD_FAILURE() << "no graph data for " << request << ": status "
                          << (reply ? reply->status : 0);
            return {};
        }
        auto inflated = util::zlib_decompress(reply->body, 1 << 24);
        EXPECT_TRUE(inflated) << "the answer is not a zlib stream";
        auto parsed = proto::parse_graph_data(inflated.value_or(""));
        EXPECT_TRUE(parsed) << "the answer is not the Java layout";
        return parsed.value_or(proto::GraphData{});
    }

    HttpResponse rest(const std::string& path) {
        return http_call(server_->port(), "GET", "/" + cli_token_ + path);
    }

    std::unique_ptr<AppClient> app_;
    std::unique_ptr<RawClient> board_;
};

TEST_F(GraphTest, LivePeriodAnswersTheNewestRawValuesPerStreamInJavaLayout) {
    const int64_t before = util::now_ms();
    write_v5({21.5, 22, 23.25});
    const proto::GraphData data = graph(body({"1", "300", "LIVE"}), 10);
    EXPECT_EQ(data.dash_id, 1);
    ASSERT_EQ(data.streams.size(), 2u) << "one block per data stream, in order";
    ASSERT_EQ(data.streams[0].size(), 3u);
    EXPECT_EQ(data.streams[0][0].value, 21.5);
    EXPECT_EQ(data.streams[0][1].value, 22);
    EXPECT_EQ(data.streams[0][2].value, 23.25);
    for (const auto& s : data.streams[0]) {
        EXPECT_GE(s.time_ms, before);
        EXPECT_LE(s.time_ms, util::now_ms());
    }
    EXPECT_TRUE(data.streams[1].empty()) << "V6 was never written";

    // The same with the device named as the target ("dashId-targetId").
    EXPECT_EQ(graph(body({"1-0", "300", "LIVE"}), 11).streams[0].size(), 3u);
}

TEST_F(GraphTest, PagesSkipTheNewerRecords) {
    std::vector<double> values;
    for (int i = 0; i < 65; ++i)
        values.push_back(i);
    write_v5(values);
    const proto::GraphData page0 = graph(body({"1", "300", "LIVE", "0"}), 10);
    ASSERT_EQ(page0.streams.at(0).size(), 60u);
    EXPECT_EQ(page0.streams[0].front().value, 5);
    EXPECT_EQ(page0.streams[0].back().value, 64);
    const proto::GraphData page1 = graph(body({"1", "300", "LIVE", "1"}), 11);
    ASSERT_EQ(page1.streams.at(0).size(), 5u);
    EXPECT_EQ(page1.streams[0].front().value, 0);
    EXPECT_EQ(page1.streams[0].back().value, 4);
    app_->send(cmd::kGetEnhancedGraphData, 12, body({"1", "300", "LIVE", "2"}));
    EXPECT_TRUE(app_->expect_response(12, status::kNoData));
}

TEST_F(GraphTest, AggregatedPeriodsAnswerBucketsAtTheirStart) {
    write_v5({10, 20, 30});
    for (const char* period : {"ONE_HOUR", "N_DAY", "N_WEEK", "ONE_YEAR", "THREE_DAYS"}) {
        SCOPED_TRACE(period);
        const proto::GraphData data = graph(body({"1", "300", period}), 10);
        ASSERT_EQ(data.streams.size(), 2u);
        ASSERT_FALSE(data.streams[0].empty());
        ASSERT_LE(data.streams[0].size(), 2u) << "the writes fall in one bucket, or two";
        for (const auto& s : data.streams[0]) {
            EXPECT_EQ(s.time_ms % 60000, 0) << "a bucket starts on a whole minute";
            EXPECT_GE(s.value, 10);
            EXPECT_LE(s.value, 30);
        }
        if (data.streams[0].size() == 1) {
            EXPECT_EQ(data.streams[0][0].value, 20);
        }
    }
}

TEST_F(GraphTest, ErrorsAnswerTheJavaStatusCodes) {
    app_->send(cmd::kGetEnhancedGraphData, 10, body({"1", "300", "LIVE"}));
    EXPECT_TRUE(app_->expect_response(10, status::kNoData)) << "nothing stored yet";
    app_->send(cmd::kGetEnhancedGraphData, 11, body({"1", "301", "LIVE"}));
    EXPECT_TRUE(app_->expect_response(11, status::kIllegalCommand)) << "a button, not a chart";
    app_->send(cmd::kGetEnhancedGraphData, 12, body({"1", "999", "LIVE"}));
    EXPECT_TRUE(app_->expect_response(12, status::kIllegalCommand)) << "no such widget";
    app_->send(cmd::kGetEnhancedGraphData, 13, body({"9", "300", "LIVE"}));
    EXPECT_TRUE(app_->expect_response(13, status::kIllegalCommand)) << "no such dashboard";
    app_->send(cmd::kGetEnhancedGraphData, 14, body({"1", "300", "FORTNIGHT"}));
    EXPECT_TRUE(app_->expect_response(14, status::kIllegalCommand)) << "no such period";
    app_->send(cmd::kGetEnhancedGraphData, 15, body({"1", "300"}));
    EXPECT_TRUE(app_->expect_response(15, status::kIllegalCommand)) << "no period";
    app_->send(cmd::kGetEnhancedGraphData, 16, body({"1", "300", "LIVE", "-1"}));
    EXPECT_TRUE(app_->expect_response(16, status::kIllegalCommand)) << "a bad page";
    write_v5({1});
    app_->send(cmd::kGetEnhancedGraphData, 17, body({"1-4", "300", "LIVE"}));
    EXPECT_TRUE(app_->expect_response(17, status::kNoData)) << "no device 4";
}

TEST_F(GraphTest, RestCsvIsTheGzippedMinuteAveragesWithJavasFileName) {
    write_v5({10, 20, 30});
    const HttpResponse r = rest("/data/V5");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/x-gzip");
    const std::string disposition = r.header("content-disposition");
    EXPECT_EQ(disposition.rfind("attachment; filename=\"alice@example.com_1_0_v5_", 0), 0u)
        << disposition;
    EXPECT_TRUE(disposition.ends_with(".csv.gz\"")) << disposition;
    auto csv = gunzip(r.body);
    ASSERT_TRUE(csv) << "not gzip";
    // One line per minute bucket: "value,epochMs,deviceId" (Java's "20.0", not "20").
    std::istringstream lines(*csv);
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
        ++count;
        const size_t a = line.find(','), b = line.rfind(',');
        ASSERT_NE(a, b) << line;
        EXPECT_NE(line.find('.'), std::string::npos) << line;
        EXPECT_EQ(std::stoll(line.substr(a + 1, b - a - 1)) % 60000, 0) << line;
        EXPECT_EQ(line.substr(b + 1), "0") << line;
    }
    EXPECT_GE(count, 1);
    EXPECT_LE(count, 2);
    if (count == 1) {
        EXPECT_EQ(csv->substr(0, 5), "20.0,");
    }

    const HttpResponse none = rest("/data/V6");
    EXPECT_EQ(none.status, 400);
    EXPECT_EQ(none.body, "No data.");
    EXPECT_EQ(rest("/data/X5").body, "Wrong pin format.");
    EXPECT_EQ(http_call(server_->port(), "GET", "/nosuchtoken/data/V5").body, "Invalid token.");
}

TEST_F(GraphTest, JsonRangeEndpointAnswersPointsOfTheRange) {
    const int64_t before = util::now_ms();
    write_v5({1.5, 2.5});
    const int64_t after = util::now_ms() + 1;
    const std::string range = "?from=" + std::to_string(before) + "&to=" + std::to_string(after);
    HttpResponse r = rest("/history/V5" + range + "&resolution=raw");
    ASSERT_EQ(r.status, 200) << r.body;
    json j = json::parse(r.body, nullptr, false);
    EXPECT_EQ(j["pin"], "v5");
    EXPECT_EQ(j["resolution"], "raw");
    EXPECT_EQ(j["from"], before);
    ASSERT_EQ(j["points"].size(), 2u) << r.body;
    EXPECT_EQ(j["points"][0][1], 1.5);
    EXPECT_EQ(j["points"][1][1], 2.5);
    EXPECT_EQ(j["points"][1][4], 1) << "a raw point counts one write";

    j = json::parse(rest("/history/V5" + range).body, nullptr, false);
    EXPECT_EQ(j["resolution"], "raw") << "auto: a short span is answered raw";
    j = json::parse(rest("/history/V5?resolution=minute").body, nullptr, false);
    ASSERT_FALSE(j["points"].empty()) << "the last 24 hours by default";
    EXPECT_EQ(j["points"].back()[3], 2.5) << "the bucket's maximum";
    j = json::parse(rest("/history/V5" + range + "&limit=1&resolution=raw").body, nullptr, false);
    ASSERT_EQ(j["points"].size(), 1u);
    EXPECT_EQ(j["points"][0][1], 2.5) << "the newest when limited";
    j = json::parse(rest("/history/V6").body, nullptr, false);
    EXPECT_EQ(j["resolution"], "minute") << "auto over the default 24 hours";
    EXPECT_EQ(j["points"], json::array()) << "an empty range is an empty list";

    EXPECT_EQ(rest("/history/V5?from=10&to=5").status, 400);
    EXPECT_EQ(rest("/history/V5?resolution=weekly").status, 400);
    EXPECT_EQ(rest("/history/V5?limit=0").status, 400);
}

TEST_F(GraphTest, DeletesRemoveTheChartsAndTheDevicesHistory) {
    write_v5({1, 2});
    app_->send(cmd::kDeleteEnhancedGraphData, 10, body({"1", "300"}));
    EXPECT_TRUE(app_->expect_response(10, status::kOk));
    app_->send(cmd::kGetEnhancedGraphData, 11, body({"1", "300", "LIVE"}));
    EXPECT_TRUE(app_->expect_response(11, status::kNoData));

    write_v5({3});
    app_->send(cmd::kDeleteDeviceData, 12, body({"1-0", "v6"}));
    EXPECT_TRUE(app_->expect_response(12, status::kOk));
    EXPECT_EQ(graph(body({"1", "300", "LIVE"}), 13).streams.at(0).size(), 1u) << "V5 kept";
    app_->send(cmd::kDeleteDeviceData, 14, body({"1-0", "v5"}));
    EXPECT_TRUE(app_->expect_response(14, status::kOk));
    app_->send(cmd::kGetEnhancedGraphData, 15, body({"1", "300", "LIVE"}));
    EXPECT_TRUE(app_->expect_response(15, status::kNoData));

    write_v5({4});
    app_->send(cmd::kDeleteDeviceData, 16, "1-*");
    EXPECT_TRUE(app_->expect_response(16, status::kOk));
    EXPECT_EQ(rest("/data/V5").body, "No data.");

    app_->send(cmd::kDeleteEnhancedGraphData, 17, body({"1", "301"}));
    EXPECT_TRUE(app_->expect_response(17, status::kIllegalCommand)) << "not a chart";
    app_->send(cmd::kDeleteDeviceData, 18, body({"1-7"}));
    EXPECT_TRUE(app_->expect_response(18, status::kIllegalCommand)) << "no device 7";
    app_->send(cmd::kDeleteDeviceData, 19, body({"1-0", "x9"}));
    EXPECT_TRUE(app_->expect_response(19, status::kIllegalCommand)) << "not a pin";
}

}  // namespace
}  // namespace blynk::test
