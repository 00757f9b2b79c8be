#include "server/java_import/java_pins.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "server/model/json_text.hpp"
#include "server/model/widget.hpp"

namespace blynk::java_import {
namespace {

using Json = nlohmann::ordered_json;

/// One pinsStorage key taken apart.
struct StorageKey {
    int dash_id = 0;
    int device_id = 0;
    model::PinKey pin;
    std::string property;  ///< empty for a value
};

std::optional<int> parse_id(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

std::vector<std::string_view> split_dashes(std::string_view key) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t dash = key.find('-'); dash != std::string_view::npos; dash = key.find('-', start)) {
        parts.push_back(key.substr(start, dash - start));
        start = dash + 1;
    }
    parts.push_back(key.substr(start));
    return parts;
}

/// "<dashId>-<deviceId>-<t><pin>[-<property>]" when `with_dash`, else the same without the
/// dashboard (which is then `dash_id`).
std::optional<StorageKey> parse_storage_key(std::string_view key, bool with_dash, int dash_id) {
    const std::vector<std::string_view> parts = split_dashes(key);
    const size_t first = with_dash ? 1 : 0;
    if (parts.size() != first + 2 && parts.size() != first + 3) return std::nullopt;
    StorageKey parsed;
    parsed.dash_id = dash_id;
    if (with_dash) {
        auto id = parse_id(parts[0]);
        if (!id) return std::nullopt;
        parsed.dash_id = *id;
    }
    auto device = parse_id(parts[first]);
    auto pin = model::parse_pin_key(parts[first + 1]);
    if (!device || !pin) return std::nullopt;
    parsed.device_id = *device;
    parsed.pin = *pin;
    if (parts.size() == first + 3) {
        if (parts[first + 2].empty()) return std::nullopt;
        parsed.property = std::string(parts[first + 2]);
    }
    return parsed;
}

/// A storage value: the string, or the newest entry of a {"type", "values"} history.
std::optional<std::string> storage_value(const Json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (!value.is_object()) return std::nullopt;
    auto values = value.find("values");
    if (values == value.end() || !values->is_array() || values->empty()) return std::nullopt;
    if (!values->back().is_string()) return std::nullopt;
    return values->back().get<std::string>();
}

/// An integer field; `fallback` when absent or not an integer.
int64_t integer_field(const Json& object, const char* key, int64_t fallback) {
    auto it = object.find(key);
    if (it == object.end()) return fallback;
    return model::json_integer(*it).value_or(fallback);
}

model::Device* find_device(model::Dashboard& dash, int device_id) {
    for (model::Device& device : dash.devices) {
        if (device.id == device_id) return &device;
    }
    return nullptr;
}

class Collector {
public:
    Collector(model::Dashboard& dash, std::vector<std::string>& notes)
        : dash_(dash), notes_(notes) {}

    void storage(const Json& map, bool with_dash, const char* where) {
        if (!map.is_object()) return;
        for (const auto& [key, value] : map.items()) {
            auto parsed = parse_storage_key(key, with_dash, dash_.id);
            if (parsed && parsed->dash_id != dash_.id) continue;  // another dashboard's entry
            std::optional<std::string> text = storage_value(value);
            if (!parsed || !text) {
                notes_.push_back(std::string(where) + " entry \"" + key +
                                 "\" left out: not a pin value this importer can read");
                continue;
            }
            put(parsed->device_id, parsed->pin, parsed->property, *text,
                std::string(where) + " entry \"" + key + "\"");
        }
    }

    void widgets(const Json& widgets) {
        if (!widgets.is_array()) return;
        for (const Json& widget : widgets) {
            if (!widget.is_object()) continue;
            const auto device_id = static_cast<int>(integer_field(widget, "deviceId", 0));
            const std::string what =
                "value of widget " + std::to_string(integer_field(widget, "id", 0));
            widget_value(widget, device_id, what);
            if (auto pins = widget.find("pins"); pins != widget.end() && pins->is_array()) {
                for (const Json& stream : *pins)
                    widget_value(stream, device_id, what);
            }
            if (auto tiles = widget.find("tiles"); tiles != widget.end() && tiles->is_array()) {
                for (const Json& tile : *tiles) {
                    if (!tile.is_object()) continue;
                    auto stream = tile.find("dataStream");
                    if (stream == tile.end()) continue;
                    widget_value(*stream, static_cast<int>(integer_field(tile, "deviceId", 0)),
                                 what + " (a tile)");
                }
            }
        }
    }

private:
    void widget_value(const Json& object, int device_id, const std::string& what) {
        if (!object.is_object()) return;
        auto value = object.find("value");
        if (value == object.end() || !value->is_string() ||
            value->get_ref<const std::string&>().empty())
            return;
        if (auto pin = model::bound_pin(object))
            put(device_id, *pin, {}, value->get<std::string>(), what);
    }

    void put(int device_id, model::PinKey pin, const std::string& property, std::string value,
             const std::string& what) {
        model::Device* device = find_device(dash_, device_id);
        if (!device) {
            notes_.push_back(what + " left out: dashboard " + std::to_string(dash_.id) +
                             " has no device " + std::to_string(device_id) +
                             " (a device selector or tag target)");
            return;
        }
        if (property.empty()) {
            device->pins[pin] = std::move(value);
        } else if (pin.type == model::PinType::Virtual) {
            device->properties[{pin.pin, property}] = std::move(value);
        } else {
            notes_.push_back(what + " left out: properties exist for virtual pins only");
        }
    }

    model::Dashboard& dash_;
    std::vector<std::string>& notes_;
};

}  // namespace

void collect_pin_values(const Json& dash_json, const Json* profile_storage, model::Dashboard& dash,
                        std::vector<std::string>& notes) {
    Collector collector(dash, notes);
    if (auto old = dash_json.find("pinsStorage"); old != dash_json.end())
        collector.storage(*old, false, "dashboard pinsStorage");
    if (profile_storage) collector.storage(*profile_storage, true, "pinsStorage");
    if (auto widgets = dash_json.find("widgets"); widgets != dash_json.end())
        collector.widgets(*widgets);
}

}  // namespace blynk::java_import
