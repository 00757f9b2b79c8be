#include "server/hub/history_pins.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "server/model/widget.hpp"

namespace blynk::hub {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<std::string_view, 4> kChartTypes = {"ENHANCED_GRAPH", "GRAPH", "HISTORY_GRAPH",
                                                         "REPORT"};

bool is_chart(const Json& widget) {
    auto type = widget.find("type");
    return type != widget.end() && type->is_string() &&
           std::find(kChartTypes.begin(), kChartTypes.end(), type->get<std::string>()) !=
               kChartTypes.end();
}

/// Collects the pins bound anywhere inside a chart widget's JSON, each for the devices the
/// nearest enclosing targetId / deviceId / deviceIds names.
class Collector {
public:
    Collector(const std::vector<int>& device_ids, std::set<std::pair<int, model::PinKey>>& out,
              int every_device)
        : device_ids_(device_ids), out_(out), every_(every_device) {}

    void chart(const Json& node, std::vector<int> devices) {
        if (node.is_array()) {
            for (const Json& item : node)
                chart(item, devices);
            return;
        }
        if (!node.is_object()) return;
        if (auto named = devices_named(node)) devices = std::move(*named);
        if (auto pin = model::bound_pin(node)) {
            for (int d : devices)
                out_.emplace(d, *pin);
        }
        for (const auto& [key, value] : node.items())
            if (value.is_structured()) chart(value, devices);
    }

    /// Device Tiles: the charts of its templates, for every device.
    void tiles(const Json& widget) {
        auto templates = widget.find("templates");
        if (templates == widget.end() || !templates->is_array()) return;
        for (const Json& t : *templates) {
            auto widgets = t.is_object() ? t.find("widgets") : t.end();
            if (!t.is_object() || widgets == t.end() || !widgets->is_array()) continue;
            for (const Json& w : *widgets)
                if (w.is_object() && is_chart(w)) chart(w, {every_});
        }
    }

private:
    std::optional<std::vector<int>> devices_named(const Json& node) const {
        for (const char* key : {"targetId", "deviceId"}) {
            auto it = node.find(key);
            if (it != node.end() && it->is_number_integer()) return std::vector{device(*it)};
        }
        auto ids = node.find("deviceIds");
        if (ids == node.end() || !ids->is_array()) return std::nullopt;
        std::vector<int> devices;
        for (const Json& id : *ids)
            if (id.is_number_integer()) devices.push_back(device(id));
        return devices;
    }

    int device(const Json& id) const {
        const auto value = id.get<int64_t>();
        const bool known =
            std::any_of(device_ids_.begin(), device_ids_.end(), [&](int d) { return d == value; });
        return known ? static_cast<int>(value) : every_;
    }

    const std::vector<int>& device_ids_;
    std::set<std::pair<int, model::PinKey>>& out_;
    int every_;
};

}  // namespace

ChartedPins ChartedPins::of(const model::Dashboard& dash, const std::vector<int>& device_ids) {
    ChartedPins result;
    Collector collect(device_ids, result.pins_, kEveryDevice);
    for (const model::Widget& w : dash.widgets) {
        const bool chart =
            std::find(kChartTypes.begin(), kChartTypes.end(), w.type) != kChartTypes.end();
        if (!chart && w.type != "DEVICE_TILES") continue;
        const Json json = Json::parse(w.json, nullptr, false);
        if (!json.is_object()) continue;
        if (chart) {
            collect.chart(json, {0});  // a widget without deviceId reads device 0
        } else {
            collect.tiles(json);
        }
    }
    return result;
}

bool ChartedPins::contains(int device_id, model::PinKey pin) const {
    return pins_.contains({device_id, pin}) || pins_.contains({kEveryDevice, pin});
}

std::optional<double> numeric_value(std::string_view value) {
    if (!value.empty() && value.front() == '+') value.remove_prefix(1);
    double number = 0;
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, number);
    if (ec != std::errc() || ptr != end || !std::isfinite(number)) return std::nullopt;
    return number;
}

}  // namespace blynk::hub
