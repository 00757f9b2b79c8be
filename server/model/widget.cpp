#include "server/model/widget.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "server/model/json_text.hpp"

namespace blynk::model {
namespace {

using Json = nlohmann::ordered_json;

/// A field the server reads is present but unusable; its what() is the field name.
struct BadField : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

/// A pin binding {"pinType": "VIRTUAL", "pin": 5}; nullopt when unbound (pin -1, no pinType).
/// Throws BadField when the fields are present but wrong.
std::optional<PinKey> read_pin(const Json& object) {
    auto pin = object.find("pin");
    auto type = object.find("pinType");
    if (pin == object.end() || type == object.end() || pin->is_null() || type->is_null()) {
        return std::nullopt;
    }
    const std::optional<int64_t> number = json_integer(*pin);
    if (!number || !type->is_string()) throw BadField("pin/pinType");
    if (*number < 0) return std::nullopt;  // -1: not bound yet
    auto pin_type = pin_type_from_name(type->get_ref<const std::string&>());
    if (*number > 255 || !pin_type) throw BadField("pin/pinType");
    return PinKey{*pin_type, static_cast<uint8_t>(*number)};
}

/// A numeric field; absent or null gives `fallback`. Fractions are truncated (the Java server's
/// Jackson accepted 2.0 for an int field); values T cannot hold throw BadField.
template <class T>
T read_number(const Json& object, const char* key, T fallback) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (auto integer = json_integer(*it)) {
        if (*integer < std::numeric_limits<T>::min() || *integer > std::numeric_limits<T>::max()) {
            throw BadField(key);
        }
        return static_cast<T>(*integer);
    }
    if (!it->is_number_float()) throw BadField(key);
    const double number = std::trunc(it->get<double>());
    // Compared as doubles: T's limits are exact there, or rounded away from zero for int64_t, so
    // the cast below never sees a value T cannot hold.
    if (!(number >= static_cast<double>(std::numeric_limits<T>::min()) &&
          number < static_cast<double>(std::numeric_limits<T>::max()))) {
        throw BadField(key);
    }
    return static_cast<T>(number);
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

std::optional<PinKey> bound_pin(const Json& object) {
    if (!object.is_object()) return std::nullopt;
    try {
        return read_pin(object);
    } catch (const BadField&) {
        return std::nullopt;
    }
}

std::optional<Widget> parse_widget(std::string_view text, std::string& error) {
    std::optional<Json> json = parse_json_text(text);
    if (!json) {
        error = "widget is not valid JSON";
        return std::nullopt;
    }
    return read_widget(*json, error);
}

std::optional<Widget> read_widget(const Json& json, std::string& error) {
    if (!json.is_object()) {
        error = "widget is not a JSON object";
        return std::nullopt;
    }
    Widget w;
    try {
        auto id = json.find("id");
        std::optional<int64_t> id_value;
        if (id != json.end()) id_value = json_integer(*id);
        if (!id_value) {
            error = "widget has no integer \"id\"";
            return std::nullopt;
        }
        w.id = *id_value;
        auto type = json.find("type");
        if (type != json.end() && !type->is_null()) {
            if (!type->is_string()) throw BadField("type");
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
        w.json = dump_json(json);
    } catch (const BadField& e) {
        error =
            std::string("widget field \"") + e.what() + "\" has the wrong type or is out of range";
        return std::nullopt;
    } catch (const std::exception& e) {
        error = std::string("widget could not be read: ") + e.what();
        return std::nullopt;
    }
    return w;
}

}  // namespace blynk::model
