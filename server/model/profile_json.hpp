#pragma once
// The mobile app's JSON view of a user's profile (server-surface.md §5, §7.1-7.2): dashboards,
// devices and widgets read from what the app sends, and written back with live pin values, device
// status and the pin values no widget shows. Pure mapping: no I/O, no clock, no hub.
//
// Everything read here comes from a client: the parsers never throw and never trust a type; they
// return nullopt/false with a one-line reason for the reply or the log. Pin values are arbitrary
// bytes: the writers replace bytes that are not UTF-8 with U+FFFD.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "server/model/user.hpp"

namespace blynk::model {

// ---- app → model ----------------------------------------------------------------------------

/// Longest device name the app may set (CREATE_DEVICE/UPDATE_DEVICE answer 2 beyond it).
inline constexpr size_t kMaxDeviceNameLength = 50;

/// Parses a dashboard (CREATE_DASH / UPDATE_DASH body). "id" (integer) is required; "name",
/// "createdAt", "updatedAt", "isActive", "isAppConnectedOn", "isNotificationsOff", "isShared" fill
/// the struct fields (absent or null: defaults); each "widgets" element goes through parse_widget
/// and each "devices" element through parse_device, and one bad element fails the whole dashboard
/// with an error naming it ("widgets[2] (id 7): ..."). "sharedToken" and "pinsStorage" are
/// dropped (the server owns them); every other field is kept in `settings`, compact, in sent
/// order. Devices come back without tokens: the caller issues them.
std::optional<Dashboard> parse_dashboard(std::string_view text, std::string& error);

/// Parses a device (CREATE_DEVICE / UPDATE_DEVICE body). "id" (integer) is required, "boardType"
/// (non-empty string) too (error "device has no boardType"); "name" is at most
/// kMaxDeviceNameLength characters (Unicode code points; error "device name longer than 50
/// characters"). Server-owned fields (token, status, disconnectTime, connectTime,
/// firstConnectTime, dataReceivedAt, lastLoggedIP, hardwareInfo, deviceOtaInfo) are ignored;
/// every other field (vendor, connectionType, iconName, isUserIcon, address, unknown ones) goes
/// into `extra`, compact, in sent order.
std::optional<Device> parse_device(std::string_view text, std::string& error);

/// parse_device for an already parsed value (one element of a dashboard's "devices"). Named
/// apart from parse_device because a std::string argument would convert to either.
std::optional<Device> read_device(const nlohmann::ordered_json& json, std::string& error);

/// Applies UPDATE_PROJECT_SETTINGS: "name", "isShared", "isAppConnectedOn", "isNotificationsOff"
/// go to the struct; "theme", "keepScreenOn", "widgetBackgroundOn", "color", "isDefaultColor" are
/// merged into `settings` (replaced in place, or appended). Absent or null keys leave the value as
/// it was; other keys are ignored. On any error (not an object, a wrong type) `dash` is unchanged.
/// Does not touch updated_at_ms: the caller stamps it with its clock.
bool apply_project_settings(std::string_view text, Dashboard& dash, std::string& error);

/// Applies SET_WIDGET_PROPERTY (from the app, or from hardware via a pin) to a widget's JSON and
/// re-reads the widget from it. `value` may hold any bytes. Properties and how their text becomes
/// JSON:
///  - label, onLabel, offLabel, url, valueFormatting, suffix: the text as a string;
///  - labels, urls: the text split on NUL into an array of strings;
///  - min, max, step, opacity, scale, rotation: a number (integer or decimal text);
///    maximumFractionDigits: an integer;
///  - isOnPlay: true for "true"/"1", false for "false"/"0" (any case);
///  - color, onColor, offColor, onBackColor, offBackColor: the Java server's int form, read the
///    way Java's Integer.decode reads ("#RRGGBB", "0xRRGGBB", decimal), low 24 bits as RGB, stored
///    as the signed 32-bit 0xRRGGBBFF ("#FF0000" → -16776961). Setting "color" also clears an
///    "isDefaultColor" the widget has, as the Java server did.
/// On a STYLED_BUTTON, onColor/offColor/onBackColor/offBackColor/onLabel/offLabel go to
/// "onButtonState"/"offButtonState" {"textColor","backgroundColor","text"} as the Java server
/// stored them (nothing changes when that state object is missing). Returns false with `error`
/// (and `w` unchanged) for an unknown property or a value the property cannot take.
bool apply_widget_property(Widget& w, std::string_view property, std::string_view value,
                           std::string& error);

// ---- model → app ----------------------------------------------------------------------------

/// A device's connection state as the hub knows it, for the app's view.
struct DeviceStatus {
    bool online = false;
    int64_t connect_time_ms = 0;         ///< 0 = not written
    int64_t disconnect_time_ms = 0;      ///< 0 = not written
    int64_t data_received_at_ms = 0;     ///< 0 = not written
    const HardwareInfo* info = nullptr;  ///< null = no "hardwareInfo"
};

/// A device to serialise with its live status; the pointers must outlive the call.
struct DeviceView {
    const Device* device = nullptr;
    DeviceStatus status;
    bool with_token = true;  ///< false for a viewer who is not the owner (a shared dashboard)
};

/// A dashboard to serialise. `devices` lists the dashboard's devices (in the order to write them,
/// normally dash->devices' order); widget values and pinsStorage are taken from their `pins`.
struct DashboardView {
    const Dashboard* dash = nullptr;
    std::vector<DeviceView> devices;
};

/// {"id","name","boardType","token", ...extra..., "status":"ONLINE"|"OFFLINE", "connectTime",
/// "disconnectTime","dataReceivedAt","hardwareInfo":{"version","blynkVersion","boardType",
/// "cpuType","connectionType","build","templateId","heartbeatInterval","buffIn"}}: zero times,
/// an empty token and empty hardwareInfo fields are left out, and "hardwareInfo" when it would be
/// empty. The token is written unless the view says otherwise (a shared dashboard's viewers
/// must not get the tokens that would let them pose as the device).
std::string device_json(const DeviceView& device);

/// A JSON array of device_json (the GET_DEVICES reply).
std::string devices_json(std::span<const DeviceView> devices);

/// The widget's stored JSON with live values: "value" of a one-pin widget, and "value" of each
/// "pins" element, set to the current value of that pin on the device "deviceId" names (a
/// multi-value stays NUL-joined). A pin without a stored value, or a device not in the view,
/// leaves the JSON as stored. Values are spliced into the stored text; nothing is re-parsed.
std::string widget_json(const Widget& widget, const DashboardView& view);

/// {"id","name","createdAt","updatedAt", ...settings..., "isActive","isAppConnectedOn",
/// "isNotificationsOff","isShared","widgets":[widget_json...],"devices":[device_json...]}. Like the
/// Java server's output, false flags and zero times are left out; id, name, widgets and devices
/// are always written. The share token is not written.
std::string dashboard_json(const DashboardView& view);

/// The LOAD_PROFILE document: {"dashBoards":[dashboard_json...]}, plus "pinsStorage" when a
/// device of a dashboard has pin values or pin properties that no widget of that dashboard (with
/// that deviceId) shows, as the Java server kept them (server-surface.md §7.2): keys
/// "<dashId>-<deviceId>-<t><pin>" ("1-0-v5") for values and "<dashId>-<deviceId>-v<pin>-<name>"
/// for properties, string values, in dashboard, device, then pin order.
std::string profile_json(std::span<const DashboardView> dashboards);

}  // namespace blynk::model
