#include "server/model/widget.hpp"

#include <nlohmann/json.hpp>

namespace blynk::model {
namespace {

using Json = nlohmann::ordered_json;

/// A pin binding {"pinType": "VIRTUAL", "pin": 5}; nullopt when unbound (pin -1, no pinType).
/// Throws std::invalid_argument when the fields are present but wrong.
std::optional<PinKey> read_pin(const Json& object) {
    auto pin = object.find("pin");
    auto type = object.find("pinType");
    if (pin == object.end() || type == object.end() || pin->is_null() || type->is_null()) {
        return std::nullopt;
    }
    if (!pin->is_number_integer() || !type->is_string())
        throw std::invalid_argument("pin/pinType");
    const int64_t number = pin->get<int64_t>();
    if (number < 0) return std::nullopt;  // -1: not bound yet
    auto pin_type = pin_type_from_name(type->get_ref<const std::string&>());
    if (number > 255 || !pin_type) throw std::invalid_argument("pin/pinType");
    return PinKey{*pin_type, static_cast<uint8_t>(number)};
}

template <class T>
T read_number(const Json& object, const char* key, T fallback) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_number()) throw std::invalid_argument(key);
    return static_cast<T>(it->get<double>());
}

}  // namespace

std::optional<PinType> pin_type_from_name(std::string_view name) {
    if (name == "VIRTUAL") return PinType::Virtual;
    if (name == "DIGITAL") return PinType::Digital;
    if (name == "ANALOG") return PinType::Analog;
    return std::nullopt;
}

std::string_view pin_type_name(PinType type) {
    switch (type) {
        case PinType::Digital:
            return "DIGITAL";
        case PinType::Analog:
            return "ANALOG";
        case PinType::Virtual:
            break;
    }
    return "VIRTUAL";
}

std::optional<Widget> parse_widget(std::string_view text, std::string& error) {
    Json json = Json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        error = "widget is not a JSON object";
        return std::nullopt;
    }
    Widget w;
    try {
        auto id = json.find("id");
        if (id == json.end() || !id->is_number_integer()) {
            error = "widget has no integer \"id\"";
            return std::nullopt;
        }
        w.id = id->get<int64_t>();
        auto type = json.find("type");
        if (type != json.end() && !type->is_null()) {
            if (!type->is_string()) throw std::invalid_argument("type");
            w.type = type->get<std::string>();
        } else {
            w.type = "BUTTON";  // the Java server's default type
        }
        w.device_id = read_number<int>(json, "deviceId", 0);
        w.width = read_number<int>(json, "width", 0);
        w.height = read_number<int>(json, "height", 0);
        w.frequency_ms = read_number<int64_t>(json, "frequency", 0);
        if (auto pin = read_pin(json)) w.pins.push_back(*pin);
        if (auto streams = json.find("pins"); streams != json.end() && streams->is_array()) {
            for (const Json& stream : *streams) {
                if (!stream.is_object()) continue;
                if (auto pin = read_pin(stream)) w.pins.push_back(*pin);
            }
        }
        if (auto tz = json.find("tzName"); tz != json.end() && tz->is_string())
            w.time_zone = tz->get<std::string>();
    } catch (const std::exception& e) {
        error = std::string("widget field \"") + e.what() + "\" has the wrong type";
        return std::nullopt;
    }
    w.json = json.dump();
    return w;
}

}  // namespace blynk::model
