#include "server/hub/property_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace blynk::hub::handlers {
namespace {

// The Java server's WidgetProperty enum, in its order.
constexpr std::array<std::string_view, 21> kProperties = {"label",       "color",
                                                          "onBackColor", "offBackColor",
                                                          "onColor",     "offColor",
                                                          "onLabel",     "offLabel",
                                                          "labels",      "min",
                                                          "max",         "isOnPlay",
                                                          "url",         "urls",
                                                          "step",        "valueFormatting",
                                                          "suffix",      "maximumFractionDigits",
                                                          "opacity",     "scale",
                                                          "rotation"};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::span<const std::string_view> known_properties() {
    return kProperties;
}

std::optional<std::string_view> canonical_property(std::string_view name) {
    for (auto p : kProperties)
        if (iequals(p, name)) return p;
    return std::nullopt;
}
}  // namespace blynk::hub::handlers
