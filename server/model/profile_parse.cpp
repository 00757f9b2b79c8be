// Reading dashboards, devices and project settings from the app (profile_json.hpp).

#include <algorithm>
#include <iterator>
#include <limits>

#include "server/model/json_text.hpp"
#include "server/model/profile_json.hpp"
#include "server/model/widget.hpp"

namespace blynk::model {
namespace {

using Json = nlohmann::ordered_json;

/// Dashboard fields that are not kept in `settings`: struct fields, and what the server owns.
constexpr std::string_view kDashboardNonSettings[] = {
    "id",          "name",        "createdAt",        "updatedAt",          "isActive", "isShared",
    "sharedToken", "pinsStorage", "isAppConnectedOn", "isNotificationsOff", "devices",  "widgets"};

/// Device fields that are not kept in `extra`: struct fields, and what the server owns.
constexpr std::string_view kDeviceNonExtra[] = {
    "id",           "name",           "boardType",        "token",          "status",
    "connectTime",  "disconnectTime", "firstConnectTime", "dataReceivedAt", "lastLoggedIP",
    "hardwareInfo", "deviceOtaInfo"};

template <size_t N>
bool is_one_of(const std::string_view (&names)[N], std::string_view key) {
    return std::find(std::begin(names), std::end(names), key) != std::end(names);
}

/// Reads an optional field of `object` into `out`; absent or null leaves `out` as it is.
/// A value of another type sets `error` ("<what> field \"<key>\" has the wrong type").
class FieldReader {
public:
    FieldReader(const Json& object, std::string_view what, std::string& error)
        : object_(object), what_(what), error_(error) {}

    bool read(const char* key, bool& out) {
        const Json* value = find(key);
        if (!value) return true;
        if (!value->is_boolean()) return wrong_type(key);
        out = value->get<bool>();
        return true;
    }

    bool read(const char* key, std::string& out) {
        const Json* value = find(key);
        if (!value) return true;
        if (!value->is_string()) return wrong_type(key);
        out = value->get_ref<const std::string&>();
        return true;
    }

    template <class Integer>
    requires std::is_integral_v<Integer>
    bool read(const char* key, Integer& out) {
        const Json* value = find(key);
        if (!value) return true;
        const std::optional<int64_t> number = json_integer(*value);
        if (!number || *number < std::numeric_limits<Integer>::min() ||
            *number > std::numeric_limits<Integer>::max()) {
            return wrong_type(key);
        }
        out = static_cast<Integer>(*number);
        return true;
    }

    /// A field that must be present: an integer that fits `out`.
    bool read_required_id(int& out) {
        const Json* value = find("id");
        if (value) {
            const std::optional<int64_t> number = json_integer(*value);
            if (number && *number >= std::numeric_limits<int>::min() &&
                *number <= std::numeric_limits<int>::max()) {
                out = static_cast<int>(*number);
                return true;
            }
        }
        error_ = std::string(what_) + " has no integer \"id\"";
        return false;
    }

private:
    const Json* find(const char* key) const {
        auto it = object_.find(key);
        return it == object_.end() || it->is_null() ? nullptr : &*it;
    }

    bool wrong_type(const char* key) {
        error_ = std::string(what_) + " field \"" + key + "\" has the wrong type";
        return false;
    }

    const Json& object_;
    std::string_view what_;
    std::string& error_;
};

/// Unicode code points in valid UTF-8 (what the parser accepted): the bytes that are not
/// continuation bytes.
size_t code_points(std::string_view utf8) {
    return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

/// "widgets[2] (id 7)": names a bad array element in an error.
std::string element_name(const char* array, size_t index, const Json& element) {
    std::string name = std::string(array) + "[" + std::to_string(index) + "]";
    if (element.is_object()) {
        if (auto id = element.find("id"); id != element.end()) {
            if (auto number = json_integer(*id)) name += " (id " + std::to_string(*number) + ")";
        }
    }
    return name;
}

std::optional<Dashboard> read_dashboard(Json& json, std::string& error) {
    if (!json.is_object()) {
        error = "dashboard is not a JSON object";
        return std::nullopt;
    }
    Dashboard dash;
    FieldReader fields(json, "dashboard", error);
    if (!fields.read_required_id(dash.id) || !fields.read("name", dash.name) ||
        !fields.read("createdAt", dash.created_at_ms) ||
        !fields.read("updatedAt", dash.updated_at_ms) || !fields.read("isActive", dash.active) ||
        !fields.read("isAppConnectedOn", dash.app_connected_on) ||
        !fields.read("isNotificationsOff", dash.notifications_off) ||
        !fields.read("isShared", dash.shared)) {
        return std::nullopt;
    }
    for (const char* array : {"widgets", "devices"}) {
        auto it = json.find(array);
        if (it != json.end() && !it->is_null() && !it->is_array()) {
            error = std::string("dashboard field \"") + array + "\" is not an array";
            return std::nullopt;
        }
    }
    if (auto widgets = json.find("widgets"); widgets != json.end() && widgets->is_array()) {
        dash.widgets.reserve(widgets->size());
        for (size_t i = 0; i < widgets->size(); ++i) {
            const Json& element = (*widgets)[i];
            std::string reason;
            std::optional<Widget> widget = read_widget(element, reason);
            if (!widget) {
                error = element_name("widgets", i, element) + ": " + reason;
                return std::nullopt;
            }
            dash.widgets.push_back(std::move(*widget));
        }
    }
    if (auto devices = json.find("devices"); devices != json.end() && devices->is_array()) {
        dash.devices.reserve(devices->size());
        for (size_t i = 0; i < devices->size(); ++i) {
            const Json& element = (*devices)[i];
            std::string reason;
            std::optional<Device> device = read_device(element, reason);
            if (!device) {
                error = element_name("devices", i, element) + ": " + reason;
                return std::nullopt;
            }
            dash.devices.push_back(std::move(*device));
        }
    }
    Json settings = Json::object();
    for (auto& [key, value] : json.items()) {
        if (!is_one_of(kDashboardNonSettings, key)) settings[key] = std::move(value);
    }
    dash.settings = dump_json(settings);
    return dash;
}

}  // namespace

std::optional<Dashboard> parse_dashboard(std::string_view text, std::string& error) {
    std::optional<Json> json = parse_json_text(text);
    if (!json) {
        error = "dashboard is not valid JSON";
        return std::nullopt;
    }
    try {
        return read_dashboard(*json, error);
    } catch (const std::exception& e) {  // allocation failure; nothing else throws here
        error = std::string("dashboard could not be read: ") + e.what();
        return std::nullopt;
    }
}

std::optional<Device> parse_device(std::string_view text, std::string& error) {
    std::optional<Json> json = parse_json_text(text);
    if (!json) {
        error = "device is not valid JSON";
        return std::nullopt;
    }
    return read_device(*json, error);
}

std::optional<Device> read_device(const Json& json, std::string& error) {
    if (!json.is_object()) {
        error = "device is not a JSON object";
        return std::nullopt;
    }
    try {
        Device device;
        FieldReader fields(json, "device", error);
        if (!fields.read_required_id(device.id) || !fields.read("name", device.name) ||
            !fields.read("boardType", device.board_type)) {
            return std::nullopt;
        }
        if (code_points(device.name) > kMaxDeviceNameLength) {
            error = "device name longer than 50 characters";
            return std::nullopt;
        }
        if (device.board_type.empty()) {
            error = "device has no boardType";
            return std::nullopt;
        }
        Json extra = Json::object();
        for (const auto& [key, value] : json.items()) {
            if (!is_one_of(kDeviceNonExtra, key)) extra[key] = value;
        }
        device.extra = dump_json(extra);
        return device;
    } catch (const std::exception& e) {  // allocation failure; nothing else throws here
        error = std::string("device could not be read: ") + e.what();
        return std::nullopt;
    }
}

bool apply_project_settings(std::string_view text, Dashboard& dash, std::string& error) {
    std::optional<Json> json = parse_json_text(text);
    if (!json || !json->is_object()) {
        error = "project settings are not a JSON object";
        return false;
    }
    try {
        // Everything is read into copies first so that a bad field changes nothing.
        std::string name = dash.name;
        bool shared = dash.shared;
        bool app_connected_on = dash.app_connected_on;
        bool notifications_off = dash.notifications_off;
        FieldReader fields(*json, "project settings", error);
        if (!fields.read("name", name) || !fields.read("isShared", shared) ||
            !fields.read("isAppConnectedOn", app_connected_on) ||
            !fields.read("isNotificationsOff", notifications_off)) {
            return false;
        }
        // The settings fields the app may change here, with the JSON type the app reads back.
        struct SettingsField {
            const char* key;
            bool (Json::*has_type)() const noexcept;
        };
        static constexpr SettingsField kSettingsFields[] = {
            {"theme", &Json::is_string},
            {"keepScreenOn", &Json::is_boolean},
            {"widgetBackgroundOn", &Json::is_boolean},
            {"color", &Json::is_number_integer},
            {"isDefaultColor", &Json::is_boolean}};
        std::optional<Json> settings = parse_json_text(dash.settings);
        if (!settings || !settings->is_object()) settings = Json::object();
        for (const SettingsField& field : kSettingsFields) {
            auto it = json->find(field.key);
            if (it == json->end() || it->is_null()) continue;
            if (!((*it).*field.has_type)()) {
                error =
                    std::string("project settings field \"") + field.key + "\" has the wrong type";
                return false;
            }
            (*settings)[field.key] = std::move(*it);
        }
        std::string settings_text = dump_json(*settings);
        dash.name = std::move(name);
        dash.shared = shared;
        dash.app_connected_on = app_connected_on;
        dash.notifications_off = notifications_off;
        dash.settings = std::move(settings_text);
        return true;
    } catch (const std::exception& e) {  // allocation failure; nothing else throws here
        error = std::string("project settings could not be applied: ") + e.what();
        return false;
    }
}

}  // namespace blynk::model
