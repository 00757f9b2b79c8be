#include "server/model/superchart.hpp"

#include <limits>

#include <nlohmann/json.hpp>

#include "server/model/json_text.hpp"
#include "server/model/widget.hpp"

namespace blynk::model {
namespace {

GraphFunction function_named(std::string_view name) {
    if (name == "MIN") return GraphFunction::Min;
    if (name == "MAX") return GraphFunction::Max;
    if (name == "SUM") return GraphFunction::Sum;
    if (name == "MED") return GraphFunction::Median;
    return GraphFunction::Avg;
}

}  // namespace

std::vector<ChartStream> chart_streams(const Widget& widget) {
    std::vector<ChartStream> out;
    if (widget.type != kSuperchartType) return out;
    const std::optional<nlohmann::ordered_json> json = parse_json_text(widget.json);
    if (!json || !json->is_object()) return out;
    const auto streams = json->find("dataStreams");
    if (streams == json->end() || !streams->is_array()) return out;
    for (const auto& element : *streams) {
        ChartStream& stream = out.emplace_back();
        if (!element.is_object()) continue;
        if (auto target = element.find("targetId"); target != element.end()) {
            const std::optional<int64_t> id = json_integer(*target);
            if (id && *id >= std::numeric_limits<int>::min() &&
                *id <= std::numeric_limits<int>::max()) {
                stream.target_id = static_cast<int>(*id);
            }
        }
        if (auto pin = element.find("pin"); pin != element.end()) stream.pin = bound_pin(*pin);
        if (auto function = element.find("functionType");
            function != element.end() && function->is_string()) {
            stream.function = function_named(function->get_ref<const std::string&>());
        }
    }
    return out;
}

double graph_value(const HistoryPoint& point, GraphFunction function) {
    switch (function) {
        case GraphFunction::Min:
            return point.min;
        case GraphFunction::Max:
            return point.max;
        case GraphFunction::Sum:
            return point.value * static_cast<double>(point.count);
        case GraphFunction::Avg:
        case GraphFunction::Median:
            break;
    }
    return point.value;
}

}  // namespace blynk::model
