#pragma once
// Which pins keep history: those a chart or report of the dashboard reads (server-surface.md
// §7.5), or every pin with history.all.pins. Read from the widgets' JSON when a dashboard
// changes, looked up on every pin write.

#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "server/model/pin.hpp"
#include "server/model/user.hpp"

namespace blynk::hub {

class ChartedPins {
public:
    /// The pins `dash`'s charts read: SuperChart (ENHANCED_GRAPH) data streams, the older GRAPH
    /// and HISTORY_GRAPH, REPORT data streams, and such widgets inside Device Tiles templates.
    /// A stream's targetId (or deviceId / deviceIds) names the device; one that is none of
    /// `device_ids` (a tag or a device selector) and tile templates cover the pin on every
    /// device of the dashboard.
    static ChartedPins of(const model::Dashboard& dash, const std::vector<int>& device_ids);

    bool contains(int device_id, model::PinKey pin) const;
    bool empty() const { return pins_.empty(); }

private:
    static constexpr int kEveryDevice = -1;
    std::set<std::pair<int, model::PinKey>> pins_;
};

/// The number a pin value stands for (sign, decimals, exponent, as the Java server parsed it);
/// nullopt for text, multi-values and non-finite numbers.
std::optional<double> numeric_value(std::string_view value);

}  // namespace blynk::hub
