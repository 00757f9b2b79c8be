#include "server/hub/app_dispatcher.hpp"

#include <spdlog/spdlog.h>

#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "server/hub/app_handlers.hpp"
#include "server/hub/traffic.hpp"

namespace blynk::hub {

void AppDispatcher::on_frame(AppConnection& conn, const proto::FrameView& frame,
                             QuotaMeter::Clock::time_point received) {
    namespace cmd = proto::cmd;
    count_received(Traffic::App, frame.command);
    if (!conn.quota.try_consume(received)) {
        count_quota_drop(Traffic::App);
        if (conn.quota.should_warn(received)) {
            spdlog::warn("message quota exceeded, dropping frames ({})", conn.link.repr());
            conn.link.send_response(frame.id, proto::status::kQuotaLimit);
        }
        return;
    }
    if (!conn.logged_in()) {
        switch (frame.command) {
            case cmd::kGetServer:
                return app::get_server(conn, frame);
            case cmd::kRegister:
                return app::register_account(context_, conn, frame);
            case cmd::kLogin:
                return app::login(context_, conn, frame);
            case cmd::kShareLogin:
                return app::share_login(context_, conn, frame);
            default:
                conn.link.close(fmt::format("{} before login", proto::command_name(frame.command)));
                return;
        }
    }
    if (conn.shared_dash) return shared_frame(conn, frame);
    logged_in_frame(conn, frame);
}

void AppDispatcher::shared_frame(AppConnection& conn, const proto::FrameView& frame) {
    // What a guest of a shared dashboard may do (the Java server's MobileShareHandler set); the
    // handlers see only that dashboard through conn.dashboard().
    namespace cmd = proto::cmd;
    switch (frame.command) {
        case cmd::kResponse:
            return;
        case cmd::kPing:
            return conn.link.send_response(frame.id, proto::status::kOk);
        case cmd::kLogout:
            return app::logout(conn, frame);
        case cmd::kLoadProfileGzipped:
            return app::load_profile(conn, frame);
        case cmd::kGetDevices:
            return app::get_devices(conn, frame);
        case cmd::kAddPushToken:
            return app::add_push_token(conn, frame);
        case cmd::kHardware:
            return app::hardware(conn, frame);
        case cmd::kAppSync:
            return app::app_sync(conn, frame);
        default:
            // The Java server ignored the rest; an answer tells the app at once.
            spdlog::debug("{} not allowed on a shared dashboard ({})",
                          proto::command_name(frame.command), conn.link.repr());
            return conn.link.send_response(frame.id, proto::status::kNotAllowed);
    }
}

void AppDispatcher::logged_in_frame(AppConnection& conn, const proto::FrameView& frame) {
    namespace cmd = proto::cmd;
    if (spdlog::should_log(spdlog::level::trace)) {
        spdlog::trace("{} id={} len={} ({})", proto::command_name(frame.command), frame.id,
                      frame.body.size(), conn.link.repr());
    }
    Hub& hub = context_.hub;
    switch (frame.command) {
        case cmd::kResponse:  // an app's answer to a server push
            return;
        case cmd::kPing:
            return conn.link.send_response(frame.id, proto::status::kOk);
        case cmd::kLogin:
        case cmd::kRegister:
            return conn.link.send_response(frame.id, proto::status::kUserAlreadyRegistered);
        case cmd::kGetServer:
            return app::get_server(conn, frame);
        case cmd::kLogout:
            return app::logout(conn, frame);
        case cmd::kLoadProfileGzipped:
            return app::load_profile(conn, frame);
        case cmd::kCreateDash:
            return app::create_dash(hub, conn, frame);
        case cmd::kUpdateDash:
            return app::update_dash(conn, frame);
        case cmd::kDeleteDash:
            return app::delete_dash(hub, conn, frame);
        case cmd::kUpdateProjectSettings:
            return app::update_project_settings(conn, frame);
        case cmd::kActivateDashboard:
            return app::activate(conn, frame);
        case cmd::kDeactivateDashboard:
            return app::deactivate(conn, frame);
        case cmd::kSharing:
            return app::sharing(conn, frame);
        case cmd::kGetShareToken:
        case cmd::kRefreshShareToken:
            return app::share_token(conn, frame);
        case cmd::kAddPushToken:
            return app::add_push_token(conn, frame);
        case cmd::kGetEnergy:
            return app::get_energy(conn, frame);
        case cmd::kAddEnergy:
            return conn.link.send_response(frame.id, proto::status::kOk);
        case cmd::kEmail:
            return app::email(conn, frame);
        case cmd::kExportGraphData:
            return app::export_graph_data(conn, frame);
        case cmd::kCreateWidget:
            return app::create_widget(conn, frame);
        case cmd::kUpdateWidget:
            return app::update_widget(conn, frame);
        case cmd::kDeleteWidget:
            return app::delete_widget(conn, frame);
        case cmd::kGetWidget:
            return app::get_widget(conn, frame);
        case cmd::kSetWidgetProperty:
            return app::set_widget_property(conn, frame);
        case cmd::kCreateDevice:
            return app::create_device(hub, conn, frame);
        case cmd::kUpdateDevice:
            return app::update_device(conn, frame);
        case cmd::kDeleteDevice:
            return app::delete_device(hub, conn, frame);
        case cmd::kGetDevices:
            return app::get_devices(conn, frame);
        case cmd::kMobileGetDevice:
            return app::get_device(conn, frame);
        case cmd::kRefreshToken:
            return app::refresh_token(hub, conn, frame);
        case cmd::kHardware:
            return app::hardware(conn, frame);
        case cmd::kAppSync:
            return app::app_sync(conn, frame);
        default:
            // Codes < 100 the server does not serve (tags, tiles, reports, clone codes, ...):
            // ignored without an answer, as the Java server did with unknown commands.
            spdlog::debug("{} not served ({})", proto::command_name(frame.command),
                          conn.link.repr());
            return;
    }
}

}  // namespace blynk::hub
