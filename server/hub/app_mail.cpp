#include <cctype>

#include <nlohmann/json.hpp>

#include "common/proto/body.hpp"
#include "common/proto/status.hpp"
#include "server/hub/app_handlers.hpp"
#include "server/hub/mail.hpp"
#include "server/model/widget.hpp"

namespace blynk::hub::app {

void email(AppConnection& conn, const proto::FrameView& frame) {
    conn.link.send_response(frame.id, mail::device_tokens(*conn.user, frame.body));
}

void export_graph_data(AppConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<2>(frame.body);
    const auto target = f.count == 2 ? parse_target(f.field[0]) : std::nullopt;
    const auto widget_id = f.count == 2 ? parse_id(f.field[1]) : std::nullopt;
    const model::Dashboard* dash = target ? conn.user->dashboard(target->dash_id) : nullptr;
    const model::Widget* chart = nullptr;
    if (dash && widget_id) {
        for (const auto& w : dash->widgets)
            if (w.id == *widget_id && w.type == "ENHANCED_GRAPH") chart = &w;
    }
    if (!chart) return conn.link.send_response(frame.id, proto::status::kIllegalCommand);
    // Each data stream of the chart names a pin and the device it reads ("targetId").
    using Json = nlohmann::ordered_json;
    const auto json = Json::parse(chart->json, nullptr, false);
    const auto streams =
        json.is_object() ? json.value("dataStreams", Json::array()) : Json::array();
    std::vector<mail::CsvLink> links;
    for (const auto& s : streams) {
        if (!s.is_object() || !s.contains("dataStream")) continue;
        const auto pin = model::bound_pin(s["dataStream"]);
        const auto& id = s.contains("targetId") ? s["targetId"] : Json();
        const int device_id = id.is_number_integer() ? id.get<int>() : target->device_id;
        const DeviceEntry* entry = conn.user->find({dash->id, device_id});
        if (!pin || !entry) continue;
        const std::string pin_name = static_cast<char>(std::toupper(static_cast<char>(pin->type))) +
                                     std::to_string(pin->pin);
        links.push_back(
            {(entry->device.name.empty() ? dash->name : entry->device.name) + " " + pin_name,
             conn.options.public_url + "/" + entry->device.token + "/data/" + pin_name});
    }
    conn.link.send_response(frame.id, mail::chart_links(*conn.user, dash->name, links));
}

}  // namespace blynk::hub::app
