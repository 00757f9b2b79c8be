#include "server/model/user.hpp"

#include <algorithm>

namespace blynk::model {

std::vector<const std::pair<const PinKey, std::string>*> pins_in_order(const Device& device) {
    std::vector<const std::pair<const PinKey, std::string>*> ordered;
    ordered.reserve(device.pins.size());
    for (const auto& pin : device.pins)
        ordered.push_back(&pin);
    std::sort(ordered.begin(), ordered.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    return ordered;
}

}  // namespace blynk::model
