// The app's JSON mapping (server/model/profile_json, widget): what CREATE/UPDATE_DASH,
// CREATE/UPDATE_DEVICE, CREATE/UPDATE_WIDGET, UPDATE_PROJECT_SETTINGS and SET_WIDGET_PROPERTY
// send, read and written back. The first byte picks the message, the rest is its body. Readers
// must refuse bad input without throwing; what the writers make must always be valid JSON, and a
// widget the server wrote must read back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/model/profile_json.hpp"
#include "server/model/widget.hpp"
#include "tests/fuzz/support/check.hpp"

namespace {

using namespace blynk::model;

void check_json(const std::string& text, const char* what) {
    blynk::fuzz::check(nlohmann::json::accept(text), what);
}

// Device values are any bytes: a NUL-joined multi-value with bytes that are not UTF-8.
const std::string kOddValue("1\0two\xff\"\\", 9);

/// Gives every pin a widget shows a value, so that the writers splice values in.
void fill_pins(Dashboard& dash) {
    for (const auto& w : dash.widgets)
        for (auto& d : dash.devices)
            if (d.id == w.device_id)
                for (const auto& pin : w.pins)
                    d.pins[pin] = kOddValue;
    for (auto& d : dash.devices)
        d.pins[{PinType::Virtual, 127}] = kOddValue;  // shown by none
}

void dashboard(std::string_view text) {
    std::string error;
    auto dash = parse_dashboard(text, error);
    if (!dash) return;
    fill_pins(*dash);
    DashboardView view{&*dash, {}};
    for (const auto& d : dash->devices)
        view.devices.push_back(DeviceView{&d, {}});
    check_json(dashboard_json(view), "dashboard_json is JSON");
    check_json(profile_json(std::span<const DashboardView>(&view, 1)), "profile_json is JSON");
    for (const auto& w : dash->widgets)
        check_json(widget_json(w, view), "widget_json is JSON");
}

void device(std::string_view text) {
    std::string error;
    auto d = parse_device(text, error);
    if (!d) return;
    d->token = "token";
    HardwareInfo info{"1.0", "fw", "ESP32", "cpu", "WiFi", "build", "tmpl", 10, 1024};
    check_json(device_json(DeviceView{&*d, DeviceStatus{true, 1, 2, 3, &info}}),
               "device_json is JSON");
}

void widget(std::string_view text) {
    std::string error;
    auto w = parse_widget(text, error);
    if (!w) return;
    Device d;
    d.id = w->device_id;
    for (const auto& pin : w->pins)
        d.pins[pin] = kOddValue;
    Dashboard dash;
    const DashboardView view{&dash, {DeviceView{&d, {}}}};
    const std::string written = widget_json(*w, view);
    check_json(written, "widget_json is JSON");
    blynk::fuzz::check(parse_widget(written, error).has_value(), "a written widget reads back");
}

void project_settings(std::string_view text) {
    Dashboard dash;
    dash.id = 1;
    dash.settings = R"({"theme":"Blynk","color":1})";
    std::string error;
    if (apply_project_settings(text, dash, error))
        check_json(dashboard_json(DashboardView{&dash, {}}), "settings give JSON");
}

/// "property\0value" applied to a styled button and to a slider, as a device or the app sets it.
void widget_property(std::string_view text) {
    const size_t nul = text.find('\0');
    const std::string_view property = text.substr(0, nul);
    const std::string_view value = nul == std::string_view::npos ? "" : text.substr(nul + 1);
    for (const char* widget_text :
         {R"({"id":1,"type":"STYLED_BUTTON","pinType":"VIRTUAL","pin":1,)"
          R"("onButtonState":{"text":"ON","textColor":1,"backgroundColor":2},)"
          R"("offButtonState":{"text":"OFF","textColor":3,"backgroundColor":4}})",
          R"({"id":2,"type":"SLIDER","pinType":"VIRTUAL","pin":2,"min":0,"max":255,)"
          R"("color":600084223,"isDefaultColor":true,"label":"L"})"}) {
        std::string error;
        auto w = parse_widget(widget_text, error);
        blynk::fuzz::check(w.has_value(), "the fixed widgets parse");
        if (apply_widget_property(*w, property, value, error))
            blynk::fuzz::check(parse_widget(w->json, error).has_value(),
                               "a widget with a property set reads back");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 5) {
        case 0:
            dashboard(body);
            break;
        case 1:
            device(body);
            break;
        case 2:
            widget(body);
            break;
        case 3:
            project_settings(body);
            break;
        default:
            widget_property(body);
            break;
    }
    return 0;
}
