#include <charconv>

#include "server/hub/app_handlers.hpp"
#include "server/hub/user_state.hpp"

namespace blynk::hub::app {

std::optional<int> parse_id(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < 0) {
        return std::nullopt;
    }
    return value;
}

std::optional<DeviceRef> parse_target(std::string_view text) {
    const auto dash = text.find('-');
    auto dash_id = parse_id(text.substr(0, dash));
    if (!dash_id) return std::nullopt;
    if (dash == std::string_view::npos) return DeviceRef{*dash_id, 0};
    auto device_id = parse_id(text.substr(dash + 1));
    if (!device_id) return std::nullopt;
    return DeviceRef{*dash_id, *device_id};
}

model::DeviceView device_view(const AppConnection& conn, const DeviceEntry& entry) {
    model::DeviceView view;
    view.device = &entry.device;
    view.with_token = !conn.shared_dash;
    view.status.online = entry.online();
    if (view.status.online) {
        view.status.connect_time_ms = entry.device.last_seen_ms;
    } else {
        view.status.disconnect_time_ms = entry.device.last_seen_ms;
    }
    view.status.info = &entry.info;
    return view;
}

model::DashboardView dashboard_view(const AppConnection& conn, const model::Dashboard& dash) {
    const UserState& user = *conn.user;
    model::DashboardView view;
    view.dash = &dash;
    // devices() is ordered by (dashboard, device): this dashboard's devices are one run.
    auto it = user.devices().lower_bound(DeviceRef{dash.id, std::numeric_limits<int>::min()});
    for (; it != user.devices().end() && it->first.dash_id == dash.id; ++it)
        view.devices.push_back(device_view(conn, it->second));
    return view;
}

}  // namespace blynk::hub::app
