#pragma once
// The lasting data model: users own dashboards, dashboards own devices, devices own pin values,
// pin properties and events. Plain value types: no I/O, no locking (the hub owns the live copies).

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/model/pin.hpp"

namespace blynk::model {

/// What the device told about itself in its INTERNAL info message.
struct HardwareInfo {
    std::string version;      ///< "ver" (library version) or "blynk" (1.x)
    std::string firmware;     ///< "fw" / "mcu"
    std::string board;        ///< "dev"
    std::string cpu;          ///< "cpu"
    std::string connection;   ///< "con"
    std::string build;        ///< "build"
    std::string template_id;  ///< "tmpl"
    int heartbeat = 0;        ///< "h-beat" seconds, 0 = not announced
    int buff_in = 0;          ///< "buff-in" bytes, 0 = not announced
};

struct Device;
/// A device's pin values in pin order (sync and APP_SYNC send them so; the map is hashed).
std::vector<const std::pair<const PinKey, std::string>*> pins_in_order(const Device& device);

struct DeviceEvent {
    std::string name;
    std::string description;
    int64_t time_ms = 0;
};

struct Device {
    int id = 0;
    std::string name;
    std::string board_type;
    std::string token;
    /// The device's other app-facing fields as a JSON object, kept as the app sent them
    /// (vendor, connectionType, iconName, isUserIcon, address, unknown ones): "{}" when none.
    std::string extra = "{}";
    int64_t created_at_ms = 0;
    int64_t last_seen_ms = 0;  ///< last login or disconnect; 0 = never connected
    bool online = false;       ///< connected as of last_seen_ms (persisted so the CLI can show it)
    /// Latest value per pin, multi-values NUL-joined. Hashed: a write is one lookup, however many
    /// pins the device has (sync-all sorts what it sends).
    std::unordered_map<PinKey, std::string> pins;
    std::map<std::pair<uint8_t, std::string>, std::string> properties;  ///< (virtual pin, name)
};

/// A widget is kept as the JSON the app sent; the server reads only the fields it acts on.
struct Widget {
    int64_t id = 0;
    std::string type;          ///< "BUTTON", "SLIDER", ... ("BUTTON" when the app sent none)
    int device_id = 0;         ///< the target the pins belong to ("deviceId", default 0)
    std::vector<PinKey> pins;  ///< pins it shows or writes, in JSON order (pin -1 left out)
    int width = 0;             ///< grid cells; the app never creates a widget narrower than 1
    int height = 0;
    int64_t frequency_ms = 0;  ///< reading widgets: poll the device every this many ms (0 = push)
    std::string time_zone;     ///< RTC widgets: "tzName" (empty = UTC)
    std::string json;          ///< the whole widget, compact, as the app sent it
};

struct Dashboard {
    int id = 0;
    std::string name;
    int64_t created_at_ms = 0;
    int64_t updated_at_ms = 0;
    bool active = false;             ///< "isActive"
    bool app_connected_on = false;   ///< "isAppConnectedOn": acon/adis go to its devices
    bool notifications_off = false;  ///< "isNotificationsOff"
    bool shared = false;             ///< "isShared"
    std::string share_token;         ///< empty = no share token issued
    /// Every other dashboard field as a JSON object, as the app sent it (theme, keepScreenOn,
    /// widgetBackgroundOn, color, unknown ones): "{}" when none.
    std::string settings = "{}";
    std::vector<Widget> widgets;
    std::vector<Device> devices;
};

/// How a user's password_hash was made.
enum class PasswordKind : uint8_t {
    None = 0,   ///< no password: nobody can log in with one
    Clear = 1,  ///< PBKDF2 of the clear password (accounts made by the CLI before the app
                ///< protocol existed): an app login cannot be checked against it
    App = 2,    ///< PBKDF2 of the app's Base64(SHA-256(password + SHA-256(lower(email))))
};

/// An app's push-notification registration (ADD_PUSH_TOKEN).
struct PushToken {
    int dash_id = 0;
    std::string uid;  ///< the app installation's id
    std::string token;
    std::string os;  ///< "android", "ios", ... from the app's login
};

struct User {
    std::string email;
    std::string password_hash;  ///< empty = no password set (CLI-created user)
    PasswordKind password_kind = PasswordKind::None;
    bool admin = false;  ///< may use the web console's admin view
    int64_t created_at_ms = 0;
    std::vector<Dashboard> dashboards;
    std::vector<PushToken> push_tokens;
};

}  // namespace blynk::model
