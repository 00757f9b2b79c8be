#pragma once
// The data streams of a SuperChart widget (type ENHANCED_GRAPH): which device and pin each one
// charts and how its points are combined, read from the widget's JSON ("dataStreams", each with
// "targetId", "pin": {"pinType","pin"} and "functionType"). Pure.

#include <optional>
#include <string_view>
#include <vector>

#include "server/model/history.hpp"
#include "server/model/user.hpp"

namespace blynk::model {

inline constexpr std::string_view kSuperchartType = "ENHANCED_GRAPH";

/// The stream's "functionType": what one point of a stored bucket shows.
enum class GraphFunction : uint8_t { Avg, Min, Max, Sum, Median };

struct ChartStream {
    int target_id = 0;          ///< device id ("targetId"; 0 when absent)
    std::optional<PinKey> pin;  ///< nullopt: the stream has no pin yet
    GraphFunction function = GraphFunction::Avg;
};

/// The streams of `widget` in JSON order (an element that is not an object counts as a stream
/// without a pin, so indexes match the app's); empty when it has none or is not a SuperChart.
std::vector<ChartStream> chart_streams(const Widget& widget);

/// The value a stored point shows for `function`: Min/Max the bucket's extremes, Sum the
/// bucket's total (average × count); Avg, and Median (no stored median), the average.
double graph_value(const HistoryPoint& point, GraphFunction function);

}  // namespace blynk::model
