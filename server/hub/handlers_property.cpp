#include <algorithm>
#include <array>
#include <cctype>

#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "server/hub/handlers.hpp"

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

void property(HardwareConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<3>(frame.body);
    if (f.count < 3 || f.field[1].empty() || f.field[2].empty()) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommandBody);
        return;
    }
    auto name = canonical_property(f.field[1]);
    if (!name) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommandBody);
        return;
    }
    auto pin = model::parse_pin_number(f.field[0]);
    if (!pin) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommand);
        return;
    }
    conn.user->store_property(conn.device, *pin, std::string(*name), std::string(f.field[2]));
    conn.user->relay_to_apps(proto::cmd::kSetWidgetProperty, frame.id, conn.device, frame.body);
    conn.link.send_response(frame.id, proto::status::kOk);
}

}  // namespace blynk::hub::handlers
