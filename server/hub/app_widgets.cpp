#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "common/util/clock.hpp"
#include "server/hub/app_handlers.hpp"
#include "server/hub/user_state.hpp"
#include "server/model/widget.hpp"

namespace blynk::hub::app {
namespace {

namespace status = proto::status;

/// The dashboard named by the first field and the widget JSON after it, parsed; nullopt after
/// answering the status the Java server gave.
struct WidgetRequest {
    model::Dashboard* dash = nullptr;
    model::Widget widget;
};

std::optional<WidgetRequest> parse_request(AppConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<2>(frame.body);
    auto dash_id = parse_id(f.field[0]);
    model::Dashboard* dash = dash_id ? conn.user->dashboard(*dash_id) : nullptr;
    if (!dash || f.count < 2) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return std::nullopt;
    }
    // Device Tiles templates ("dashId\0tilesId\0templateId\0json") are not served.
    if (f.field[1].find('\0') != std::string_view::npos) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return std::nullopt;
    }
    if (f.field[1].size() > conn.options.widget_max_bytes) {
        conn.link.send_response(frame.id, status::kNotAllowed);
        return std::nullopt;
    }
    std::string error;
    auto widget = model::parse_widget(f.field[1], error);
    if (!widget) {
        spdlog::info("{} refused: {} ({})", proto::command_name(frame.command), error,
                     conn.link.repr());
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return std::nullopt;
    }
    return WidgetRequest{dash, std::move(*widget)};
}

std::vector<model::Widget>::iterator find_widget(model::Dashboard& dash, int64_t id) {
    return std::find_if(dash.widgets.begin(), dash.widgets.end(),
                        [id](const model::Widget& w) { return w.id == id; });
}

/// "dashId\0widgetId": the dashboard and the widget; nullptr after answering.
model::Widget* find_widget(AppConnection& conn, const proto::FrameView& frame,
                           model::Dashboard*& dash, std::string_view& rest) {
    auto f = proto::split_n<3>(frame.body);
    auto dash_id = parse_id(f.field[0]);
    dash = dash_id ? conn.user->dashboard(*dash_id) : nullptr;
    auto widget_id = f.count >= 2 ? parse_id(f.field[1]) : std::nullopt;
    if (!dash || !widget_id) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return nullptr;
    }
    auto it = find_widget(*dash, *widget_id);
    if (it == dash->widgets.end()) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return nullptr;
    }
    rest = f.count == 3 ? f.field[2] : std::string_view();
    return &*it;
}

void changed(AppConnection& conn, model::Dashboard& dash, uint16_t id) {
    dash.updated_at_ms = util::now_ms();
    conn.user->dashboard_changed(dash.id);
    conn.link.send_response(id, status::kOk);
}

}  // namespace

void create_widget(AppConnection& conn, const proto::FrameView& frame) {
    auto request = parse_request(conn, frame);
    if (!request) return;
    model::Dashboard& dash = *request->dash;
    model::Widget& widget = request->widget;
    if (find_widget(dash, widget.id) != dash.widgets.end() || widget.width < 1 ||
        widget.height < 1) {
        conn.link.send_response(frame.id, status::kNotAllowed);
        return;
    }
    size_t total = 0;
    for (const auto& w : dash.widgets)
        total += w.json.size();
    if (total + widget.json.size() > conn.options.profile_max_bytes) {
        conn.link.send_response(frame.id, status::kNotAllowed);
        return;
    }
    dash.widgets.push_back(std::move(widget));
    changed(conn, dash, frame.id);
}

void update_widget(AppConnection& conn, const proto::FrameView& frame) {
    auto request = parse_request(conn, frame);
    if (!request) return;
    model::Dashboard& dash = *request->dash;
    auto it = find_widget(dash, request->widget.id);
    // The Java server replaced a widget only by one of the same type.
    if (it == dash.widgets.end() || it->type != request->widget.type) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    *it = std::move(request->widget);
    changed(conn, dash, frame.id);
}

void delete_widget(AppConnection& conn, const proto::FrameView& frame) {
    model::Dashboard* dash = nullptr;
    std::string_view rest;
    model::Widget* widget = find_widget(conn, frame, dash, rest);
    if (!widget) return;
    dash->widgets.erase(find_widget(*dash, widget->id));
    changed(conn, *dash, frame.id);
}

void get_widget(AppConnection& conn, const proto::FrameView& frame) {
    model::Dashboard* dash = nullptr;
    std::string_view rest;
    model::Widget* widget = find_widget(conn, frame, dash, rest);
    if (!widget) return;
    conn.link.send(proto::cmd::kGetWidget, frame.id,
                   model::widget_json(*widget, dashboard_view(conn, *dash)));
}

void set_widget_property(AppConnection& conn, const proto::FrameView& frame) {
    model::Dashboard* dash = nullptr;
    std::string_view rest;
    model::Widget* widget = find_widget(conn, frame, dash, rest);
    if (!widget) return;
    auto f = proto::split_n<2>(rest);
    std::string error;
    if (f.count < 2 || !model::apply_widget_property(*widget, f.field[0], f.field[1], error)) {
        conn.link.send_response(frame.id, status::kIllegalCommandBody);
        return;
    }
    changed(conn, *dash, frame.id);
}

}  // namespace blynk::hub::app
