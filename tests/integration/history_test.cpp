// History with the real binary: numeric values written over hardware TCP become points that a
// restart keeps; only charted pins keep history unless history.all.pins. Read back from the data
// folder's database after the server stopped (the app's and the console's readers are tested
// with them).

#include "server/model/widget.hpp"
#include "server/store/store.hpp"
#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

using model::HistoryResolution;

std::vector<double> stored(const ServerProcess& server, const std::string& token,
                           model::PinKey pin) {
    store::Store db(server.database_location());
    auto row = db.find_device_by_token(token);
    if (!row) return {};
    std::vector<double> values;
    for (const auto& p : db.history().query(row->email, row->dash_id, row->device.id, pin,
                                            {0, INT64_MAX, HistoryResolution::Raw, 0, false}))
        values.push_back(p.value);
    return values;
}

/// Writes vw `pin` with each value, then waits for the answer to a property change, so that
/// every write before it was handled.
void write(RawClient& c, int pin, const std::vector<std::string>& values, uint16_t& id) {
    for (const auto& v : values)
        c.send_frame(cmd::kHardware, id++, body({"vw", std::to_string(pin), v}));
    c.send_frame(cmd::kSetWidgetProperty, id, body({"0", "label", "x"}));
    EXPECT_TRUE(c.expect_response(id++, status::kOk));
}

class HistoryAllPinsTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"storage.flush.interval.ms", "100"}, {"history.all.pins", "true"}};
    }
};

TEST_F(HistoryAllPinsTest, EveryNumericWriteIsAPointAndARestartKeepsThem) {
    uint16_t id = 1;
    {
        auto c = logged_in(token_a_);
        write(*c, 1, {"1", "2.5", "-3", "1e3", "+4", "text", "nan", "7"}, id);
    }
    EXPECT_EQ(server_->stop(), 0);
    EXPECT_TRUE(server_->wait_for_log("history point(s) stored"));
    server_->start();
    {
        auto c = logged_in(token_a_);
        write(*c, 1, {"8", "9"}, id);
    }
    EXPECT_EQ(server_->stop(), 0);
    EXPECT_EQ(stored(*server_, token_a_, {model::PinType::Virtual, 1}),
              (std::vector<double>{1, 2.5, -3, 1000, 4, 7, 8, 9}));
    EXPECT_TRUE(stored(*server_, token_b_, {model::PinType::Virtual, 1}).empty());
}

TEST_F(HistoryAllPinsTest, PointsSurviveKill9AfterTheFlushInterval) {
    uint16_t id = 1;
    {
        auto c = logged_in(token_a_);
        write(*c, 2, {"10", "11", "12"}, id);
    }
    std::this_thread::sleep_for(600ms);  // > flush interval (100 ms) and the hub's hand-over
    server_->kill9();
    EXPECT_EQ(stored(*server_, token_a_, {model::PinType::Virtual, 2}),
              (std::vector<double>{10, 11, 12}));
}

// A SuperChart on V3 of Board A (device 0): only that pin of that device keeps history.
class HistoryChartedPinsTest : public ServerTest {
protected:
    void SetUp() override {
        server_ = std::make_unique<ServerProcess>(settings());
        token_a_ = server_->provision("alice@example.com", "Board A");
        token_b_ = server_->provision("alice@example.com", "Board B");
        {
            store::Store db(server_->database_location());
            auto users = db.load_all();
            ASSERT_EQ(users.size(), 1u);
            model::Dashboard dash = users[0].dashboards.at(0);
            std::string error;
            auto chart = model::parse_widget(
                R"({"id":7,"type":"ENHANCED_GRAPH","x":0,"y":0,"width":8,"height":4,)"
                R"("dataStreams":[{"title":"t","targetId":0,"pin":{"pin":3,"pinType":"VIRTUAL"}}]})",
                error);
            ASSERT_TRUE(chart) << error;
            dash.widgets.push_back(*chart);
            db.save_dashboards("alice@example.com", {dash});
        }
        server_->start();
    }
};

TEST_F(HistoryChartedPinsTest, OnlyChartedPinsOfTheChartedDeviceKeepHistory) {
    uint16_t id = 1;
    {
        auto a = logged_in(token_a_);
        auto b = logged_in(token_b_);
        write(*a, 3, {"1", "2"}, id);
        write(*a, 4, {"5"}, id);
        write(*b, 3, {"6"}, id);
    }
    EXPECT_EQ(server_->stop(), 0);
    EXPECT_EQ(stored(*server_, token_a_, {model::PinType::Virtual, 3}),
              (std::vector<double>{1, 2}));
    EXPECT_TRUE(stored(*server_, token_a_, {model::PinType::Virtual, 4}).empty());
    EXPECT_TRUE(stored(*server_, token_b_, {model::PinType::Virtual, 3}).empty());
}

}  // namespace
}  // namespace blynk::test
