#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "common/util/clock.hpp"
#include "common/util/token.hpp"
#include "common/util/zlib.hpp"
#include "server/hub/app_handlers.hpp"
#include "server/hub/operations.hpp"
#include "server/hub/user_state.hpp"

namespace blynk::hub::app {
namespace {

namespace status = proto::status;

/// What the app shows as its energy balance: widgets are never refused for energy here.
constexpr std::string_view kEnergyBalance = "1000000";

/// The dashboard a body's first field names, or nullptr after answering ILLEGAL_COMMAND.
model::Dashboard* find_dash(AppConnection& conn, uint16_t id, std::string_view field) {
    auto dash_id = parse_id(field);
    model::Dashboard* dash = dash_id ? conn.dashboard(*dash_id) : nullptr;
    if (!dash) conn.link.send_response(id, status::kIllegalCommand);
    return dash;
}

/// The checks CREATE_DASH and UPDATE_DASH share; the status to answer, or 0.
uint16_t check_dashboard(const AppConnection& conn, const model::Dashboard& dash) {
    for (const auto& w : dash.widgets)
        if (w.json.size() > conn.options.widget_max_bytes) return status::kNotAllowed;
    if (dash.devices.size() > conn.options.devices_limit) return status::kNotAllowed;
    return 0;
}

void set_active(AppConnection& conn, model::Dashboard& dash, bool active) {
    dash.active = active;
    dash.updated_at_ms = util::now_ms();
    conn.user->dashboard_changed(dash.id);
}

}  // namespace

void load_profile(AppConnection& conn, const proto::FrameView& frame) {
    UserState& user = *conn.user;
    std::string json;
    if (frame.body.empty()) {
        std::vector<model::DashboardView> views;
        views.reserve(user.dashboards().size());
        for (const auto& [id, dash] : user.dashboards())
            if (conn.sees(id)) views.push_back(dashboard_view(conn, dash));
        json = model::profile_json(views);
    } else {
        // `dashId`, or the shared-dashboard form `token\0dashId\0email`: one dashboard.
        auto f = proto::split_all(frame.body);
        model::Dashboard* dash = find_dash(conn, frame.id, f.size() >= 2 ? f[1] : f[0]);
        if (!dash) return;
        json = model::dashboard_json(dashboard_view(conn, *dash));
    }
    conn.link.send(proto::cmd::kLoadProfileGzipped, frame.id, util::zlib_compress(json));
}

void create_dash(Hub& hub, AppConnection& conn, const proto::FrameView& frame) {
    std::string_view text = frame.body;
    // "no_token\0<json>": the Java server then skipped token generation; every device here
    // gets a token either way (a device without one could never log in).
    if (auto sep = text.find('\0'); sep != std::string_view::npos) text = text.substr(sep + 1);
    if (text.size() > conn.options.profile_max_bytes) {
        conn.link.send_response(frame.id, status::kNotAllowed);
        return;
    }
    std::string error;
    auto dash = model::parse_dashboard(text, error);
    if (!dash) {
        spdlog::info("CREATE_DASH refused: {} ({})", error, conn.link.repr());
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    if (conn.user->dashboard(dash->id)) {
        conn.link.send_response(frame.id, status::kNotAllowed);
        return;
    }
    if (conn.user->dashboards().size() >= conn.options.dashboards_limit) {
        conn.link.send_response(frame.id, status::kQuotaLimit);
        return;
    }
    if (uint16_t refused = check_dashboard(conn, *dash)) {
        conn.link.send_response(frame.id, refused);
        return;
    }
    dash->created_at_ms = dash->updated_at_ms = util::now_ms();
    const uint16_t id = frame.id;
    const int dash_id = dash->id;
    ops::create_dashboard(hub, conn.user, std::move(*dash),
                          [&conn, alive = conn.link.keep_alive(), id, dash_id](
                              uint16_t result, std::string_view why) {
                              if (result != status::kOk) {
                                  spdlog::info("CREATE_DASH {} failed: {} ({})", dash_id, why,
                                               conn.link.repr());
                              }
                              conn.link.send_response(id, result);
                          });
}

void update_dash(AppConnection& conn, const proto::FrameView& frame) {
    if (frame.body.size() > conn.options.profile_max_bytes) {
        conn.link.send_response(frame.id, status::kNotAllowed);
        return;
    }
    std::string error;
    auto updated = model::parse_dashboard(frame.body, error);
    if (!updated) {
        spdlog::info("UPDATE_DASH refused: {} ({})", error, conn.link.repr());
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    model::Dashboard* dash = conn.user->dashboard(updated->id);
    if (!dash) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    updated->devices.clear();  // devices change through their own commands
    if (uint16_t refused = check_dashboard(conn, *updated)) {
        conn.link.send_response(frame.id, refused);
        return;
    }
    // The app's copy replaces the dashboard's own fields and widgets; activation, sharing and
    // creation time stay the server's.
    dash->name = std::move(updated->name);
    dash->settings = std::move(updated->settings);
    dash->widgets = std::move(updated->widgets);
    dash->app_connected_on = updated->app_connected_on;
    dash->notifications_off = updated->notifications_off;
    dash->updated_at_ms = util::now_ms();
    conn.user->dashboard_changed(dash->id);
    conn.link.send_response(frame.id, status::kOk);
}

void delete_dash(Hub& hub, AppConnection& conn, const proto::FrameView& frame) {
    model::Dashboard* dash = find_dash(conn, frame.id, frame.body);
    if (!dash) return;
    const uint16_t id = frame.id;
    ops::delete_dashboard(
        hub, conn.user, dash->id,
        [&conn, alive = conn.link.keep_alive(), id](uint16_t result, std::string_view) {
            conn.link.send_response(id, result);
        });
}

void update_project_settings(AppConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<2>(frame.body);
    model::Dashboard* dash = find_dash(conn, frame.id, f.field[0]);
    if (!dash) return;
    std::string error;
    if (f.count < 2 || !model::apply_project_settings(f.field[1], *dash, error)) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    dash->updated_at_ms = util::now_ms();
    conn.user->dashboard_changed(dash->id);
    conn.link.send_response(frame.id, status::kOk);
}

void activate(AppConnection& conn, const proto::FrameView& frame) {
    model::Dashboard* dash = find_dash(conn, frame.id, frame.body);
    if (!dash) return;
    UserState& user = *conn.user;
    set_active(conn, *dash, true);
    bool any_online = false;
    for (const auto& [ref, entry] : user.devices()) {
        if (ref.dash_id != dash->id || !entry.online()) continue;
        any_online = true;
        ops::send_pin_modes(user, ref);
    }
    conn.link.send_response(frame.id, any_online || dash->notifications_off
                                          ? status::kOk
                                          : status::kDeviceNotInNetwork);
    user.send_to_apps(dash->id, proto::cmd::kActivateDashboard, frame.id, frame.body, &conn);
    replay_values(user, dash->id, std::nullopt, nullptr);
}

void deactivate(AppConnection& conn, const proto::FrameView& frame) {
    UserState& user = *conn.user;
    std::optional<int> echo_to;  // every session for "all dashboards"
    if (frame.body.empty()) {
        std::vector<int> ids;
        for (const auto& [id, dash] : user.dashboards())
            ids.push_back(id);
        for (int id : ids)
            set_active(conn, *user.dashboard(id), false);
    } else {
        model::Dashboard* dash = find_dash(conn, frame.id, frame.body);
        if (!dash) return;
        set_active(conn, *dash, false);
        echo_to = dash->id;
    }
    conn.link.send_response(frame.id, status::kOk);
    user.send_to_apps(echo_to, proto::cmd::kDeactivateDashboard, frame.id, frame.body, &conn);
}

void sharing(AppConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<2>(frame.body);
    model::Dashboard* dash = find_dash(conn, frame.id, f.field[0]);
    if (!dash) return;
    if (f.count < 2 || (f.field[1] != "on" && f.field[1] != "off")) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    dash->shared = f.field[1] == "on";
    conn.user->dashboard_changed(dash->id);
    conn.link.send_response(frame.id, status::kOk);
    // The shared sessions hear it too, as from the Java server; then, unlike there, they are
    // closed: a dashboard no longer shared is no longer watched or controlled by its guests.
    conn.user->send_to_apps(dash->id, proto::cmd::kSharing, frame.id, frame.body, &conn);
    if (!dash->shared) conn.user->close_shared_sessions(dash->id, "dashboard no longer shared");
}

void share_token(AppConnection& conn, const proto::FrameView& frame) {
    model::Dashboard* dash = find_dash(conn, frame.id, frame.body);
    if (!dash) return;
    if (dash->share_token.empty() || frame.command == proto::cmd::kRefreshShareToken) {
        if (!dash->share_token.empty()) {
            // Guests of the old token are told NOT_ALLOWED and closed, as by the Java server.
            for (AppConnection* app : conn.user->apps())
                if (app->shared_dash == dash->id)
                    app->link.send_response(frame.id, status::kNotAllowed);
            conn.user->close_shared_sessions(dash->id, "share token refreshed");
        }
        dash->share_token = util::generate_token();
        conn.user->dashboard_changed(dash->id);
    }
    conn.link.send(frame.command, frame.id, dash->share_token);
}

void add_push_token(AppConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<3>(frame.body);
    model::Dashboard* dash = find_dash(conn, frame.id, f.field[0]);
    if (!dash) return;
    if (f.count < 3 || f.field[1].empty() || f.field[2].empty()) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    conn.user->persistence().put_push_token(
        conn.user->email(),
        model::PushToken{dash->id, std::string(f.field[1]), std::string(f.field[2]), conn.os});
    conn.link.send_response(frame.id, status::kOk);
}

void get_energy(AppConnection& conn, const proto::FrameView& frame) {
    conn.link.send(proto::cmd::kGetEnergy, frame.id, kEnergyBalance);
}

}  // namespace blynk::hub::app
