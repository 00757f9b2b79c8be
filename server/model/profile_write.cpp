// Writing the app's JSON view of dashboards, devices and widgets (profile_json.hpp).
//
// Built as text, not as a DOM: a profile is mostly stored widget JSON, copied as is or with live
// values spliced in (widget_values.hpp).

#include <algorithm>
#include <string_view>

#include "server/model/json_text.hpp"
#include "server/model/profile_json.hpp"
#include "server/model/widget_values.hpp"

namespace blynk::model {
namespace {

/// Appends ,"key": — every member written here follows another.
void append_key(std::string& out, std::string_view key) {
    out.push_back(',');
    out.push_back('"');
    out.append(key);
    out += "\":";
}

void append_nonzero(std::string& out, std::string_view key, int64_t value) {
    if (value == 0) return;
    append_key(out, key);
    append_json_integer(out, value);
}

void append_nonempty(std::string& out, std::string_view key, std::string_view value) {
    if (value.empty()) return;
    append_key(out, key);
    append_json_string(out, value);
}

void append_true(std::string& out, std::string_view key, bool value) {
    if (!value) return;
    append_key(out, key);
    out += "true";
}

void append_hardware_info(std::string& out, const HardwareInfo& info) {
    std::string members;  // each after a comma; the first comma becomes the brace
    append_nonempty(members, "version", info.firmware);
    append_nonempty(members, "blynkVersion", info.version);
    append_nonempty(members, "boardType", info.board);
    append_nonempty(members, "cpuType", info.cpu);
    append_nonempty(members, "connectionType", info.connection);
    append_nonempty(members, "build", info.build);
    append_nonempty(members, "templateId", info.template_id);
    append_nonzero(members, "heartbeatInterval", info.heartbeat);
    append_nonzero(members, "buffIn", info.buff_in);
    if (members.empty()) return;
    append_key(out, "hardwareInfo");
    members[0] = '{';
    out += members;
    out.push_back('}');
}

void append_device(std::string& out, const DeviceView& view) {
    const Device& device = *view.device;
    out += "{\"id\":";
    append_json_integer(out, device.id);
    append_key(out, "name");
    append_json_string(out, device.name);
    append_key(out, "boardType");
    append_json_string(out, device.board_type);
    if (view.with_token) append_nonempty(out, "token", device.token);
    append_object_members(out, device.extra);
    append_key(out, "status");
    out += view.status.online ? "\"ONLINE\"" : "\"OFFLINE\"";
    append_nonzero(out, "connectTime", view.status.connect_time_ms);
    append_nonzero(out, "disconnectTime", view.status.disconnect_time_ms);
    append_nonzero(out, "dataReceivedAt", view.status.data_received_at_ms);
    if (view.status.info) append_hardware_info(out, *view.status.info);
    out.push_back('}');
}

const Device* find_device(const DashboardView& view, int device_id) {
    for (const DeviceView& candidate : view.devices) {
        if (candidate.device && candidate.device->id == device_id) return candidate.device;
    }
    return nullptr;
}

void append_widget(std::string& out, const Widget& widget, const DashboardView& view) {
    if (widget.json.empty()) {
        // Not made by parse_widget (a widget built in code): still a valid object.
        out += "{\"id\":";
        append_json_integer(out, widget.id);
        append_key(out, "type");
        append_json_string(out, widget.type);
        out.push_back('}');
        return;
    }
    const Device* device = find_device(view, widget.device_id);
    const bool shows_stored_value =
        device && std::any_of(widget.pins.begin(), widget.pins.end(),
                              [&](PinKey pin) { return device->pins.contains(pin); });
    if (shows_stored_value) {
        append_widget_with_values(out, widget.json, *device);
    } else {
        out += widget.json;
    }
}

void append_dashboard(std::string& out, const DashboardView& view) {
    const Dashboard& dash = *view.dash;
    out += "{\"id\":";
    append_json_integer(out, dash.id);
    append_key(out, "name");
    append_json_string(out, dash.name);
    append_nonzero(out, "createdAt", dash.created_at_ms);
    append_nonzero(out, "updatedAt", dash.updated_at_ms);
    append_object_members(out, dash.settings);
    append_true(out, "isActive", dash.active);
    append_true(out, "isAppConnectedOn", dash.app_connected_on);
    append_true(out, "isNotificationsOff", dash.notifications_off);
    append_true(out, "isShared", dash.shared);
    append_key(out, "widgets");
    out.push_back('[');
    for (size_t i = 0; i < dash.widgets.size(); ++i) {
        if (i > 0) out.push_back(',');
        append_widget(out, dash.widgets[i], view);
    }
    out += "]";
    append_key(out, "devices");
    out.push_back('[');
    bool first = true;
    for (const DeviceView& device : view.devices) {
        if (!device.device) continue;
        if (!first) out.push_back(',');
        first = false;
        append_device(out, device);
    }
    out += "]}";
}

/// Room for a dashboard's text, so that appending rarely reallocates.
size_t estimated_size(const DashboardView& view) {
    size_t size = 256 + view.dash->settings.size();
    for (const Widget& widget : view.dash->widgets)
        size += widget.json.size() + 16;
    for (const DeviceView& device : view.devices) {
        if (device.device) size += 384 + device.device->extra.size();
    }
    return size;
}

bool widget_shows(const Dashboard& dash, int device_id, PinKey pin) {
    return std::any_of(dash.widgets.begin(), dash.widgets.end(), [&](const Widget& widget) {
        return widget.device_id == device_id &&
               std::find(widget.pins.begin(), widget.pins.end(), pin) != widget.pins.end();
    });
}

/// "1-0-": the start of a pinsStorage key.
std::string storage_key_prefix(int dash_id, int device_id) {
    std::string prefix;
    append_json_integer(prefix, dash_id);
    prefix.push_back('-');
    append_json_integer(prefix, device_id);
    prefix.push_back('-');
    return prefix;
}

/// Appends the pinsStorage members of one device (each after a comma): values and properties of
/// pins no widget of the dashboard shows, pins in (type, number) order.
void append_unshown_pins(std::string& out, const Dashboard& dash, const Device& device) {
    std::vector<std::pair<PinKey, const std::string*>> values;
    for (const auto& [pin, value] : device.pins) {
        if (!widget_shows(dash, device.id, pin)) values.emplace_back(pin, &value);
    }
    if (values.empty() && device.properties.empty()) return;
    std::sort(values.begin(), values.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    const std::string prefix = storage_key_prefix(dash.id, device.id);
    for (const auto& [pin, value] : values) {
        out.push_back(',');
        append_json_string(out, prefix + pin.str());
        out.push_back(':');
        append_json_string(out, *value);
    }
    for (const auto& [key, value] : device.properties) {  // a std::map: already in order
        const PinKey pin{PinType::Virtual, key.first};
        if (widget_shows(dash, device.id, pin)) continue;
        out.push_back(',');
        append_json_string(out, prefix + pin.str() + "-" + key.second);
        out.push_back(':');
        append_json_string(out, value);
    }
}

}  // namespace

std::string device_json(const DeviceView& device) {
    if (!device.device) return "null";
    std::string out;
    out.reserve(384 + device.device->extra.size());
    append_device(out, device);
    return out;
}

std::string devices_json(std::span<const DeviceView> devices) {
    std::string out;
    out.reserve(1 + devices.size() * 384);
    out.push_back('[');
    bool first = true;
    for (const DeviceView& device : devices) {
        if (!device.device) continue;
        if (!first) out.push_back(',');
        first = false;
        append_device(out, device);
    }
    out.push_back(']');
    return out;
}

std::string widget_json(const Widget& widget, const DashboardView& view) {
    std::string out;
    append_widget(out, widget, view);
    return out;
}

std::string dashboard_json(const DashboardView& view) {
    if (!view.dash) return "null";
    std::string out;
    out.reserve(estimated_size(view));
    append_dashboard(out, view);
    return out;
}

std::string profile_json(std::span<const DashboardView> dashboards) {
    size_t size = 32;
    for (const DashboardView& view : dashboards) {
        if (view.dash) size += estimated_size(view);
    }
    std::string out;
    out.reserve(size);
    out += "{\"dashBoards\":[";
    bool first = true;
    for (const DashboardView& view : dashboards) {
        if (!view.dash) continue;
        if (!first) out.push_back(',');
        first = false;
        append_dashboard(out, view);
    }
    out.push_back(']');
    std::string storage;  // members each after a comma; the first comma becomes the brace
    for (const DashboardView& view : dashboards) {
        if (!view.dash) continue;
        for (const DeviceView& device : view.devices) {
            if (device.device) append_unshown_pins(storage, *view.dash, *device.device);
        }
    }
    if (!storage.empty()) {
        append_key(out, "pinsStorage");
        storage[0] = '{';
        out += storage;
        out.push_back('}');
    }
    out.push_back('}');
    return out;
}

}  // namespace blynk::model
