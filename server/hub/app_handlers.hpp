#pragma once
// App command handlers, one file per family (server-surface.md §5). Each runs after the app
// dispatcher's checks (state, quota) and answers through conn.link; failures become the Java
// server's status codes here.

#include <optional>
#include <string_view>

#include "common/proto/codec.hpp"
#include "server/hub/app_connection.hpp"
#include "server/hub/app_context.hpp"
#include "server/hub/device_ref.hpp"
#include "server/model/profile_json.hpp"

namespace blynk::hub::app {

// app_account.cpp: before and around login
void get_server(AppConnection& conn, const proto::FrameView& frame);
void register_account(AppContext& context, AppConnection& conn, const proto::FrameView& frame);
void login(AppContext& context, AppConnection& conn, const proto::FrameView& frame);
/// SHARE_LOGIN `ownerEmail\0shareToken[\0os\0version]`: a session on one shared dashboard.
void share_login(AppContext& context, AppConnection& conn, const proto::FrameView& frame);
void logout(AppConnection& conn, const proto::FrameView& frame);

// app_dashboards.cpp
void load_profile(AppConnection& conn, const proto::FrameView& frame);
void create_dash(Hub& hub, AppConnection& conn, const proto::FrameView& frame);
void update_dash(AppConnection& conn, const proto::FrameView& frame);
void delete_dash(Hub& hub, AppConnection& conn, const proto::FrameView& frame);
void update_project_settings(AppConnection& conn, const proto::FrameView& frame);
void activate(AppConnection& conn, const proto::FrameView& frame);
void deactivate(AppConnection& conn, const proto::FrameView& frame);
void sharing(AppConnection& conn, const proto::FrameView& frame);
void share_token(AppConnection& conn, const proto::FrameView& frame);
void add_push_token(AppConnection& conn, const proto::FrameView& frame);
void get_energy(AppConnection& conn, const proto::FrameView& frame);

// app_widgets.cpp
void create_widget(AppConnection& conn, const proto::FrameView& frame);
void update_widget(AppConnection& conn, const proto::FrameView& frame);
void delete_widget(AppConnection& conn, const proto::FrameView& frame);
void get_widget(AppConnection& conn, const proto::FrameView& frame);
void set_widget_property(AppConnection& conn, const proto::FrameView& frame);

// app_devices.cpp
void create_device(Hub& hub, AppConnection& conn, const proto::FrameView& frame);
void update_device(AppConnection& conn, const proto::FrameView& frame);
void delete_device(Hub& hub, AppConnection& conn, const proto::FrameView& frame);
void get_devices(AppConnection& conn, const proto::FrameView& frame);
void get_device(AppConnection& conn, const proto::FrameView& frame);
void refresh_token(Hub& hub, AppConnection& conn, const proto::FrameView& frame);

// app_pins.cpp
void hardware(AppConnection& conn, const proto::FrameView& frame);
void app_sync(AppConnection& conn, const proto::FrameView& frame);
/// The stored values of a dashboard (or one device of it) as APP_SYNC frames with msg id 1111
/// to `conn` (every app of the user when null).
void replay_values(UserState& user, int dash_id, std::optional<int> device_id, AppConnection* conn);

// app_mail.cpp
/// EMAIL `dashId[\0deviceId]`: the device's token (or the dashboard's tokens) mailed to the user.
void email(AppConnection& conn, const proto::FrameView& frame);
/// EXPORT_GRAPH_DATA `dashId[-deviceId]\0widgetId`: links to the CSV of each pin of a chart
/// (REST /{token}/data/{pin}) mailed to the user.
void export_graph_data(AppConnection& conn, const proto::FrameView& frame);

// app_views.cpp: helpers shared by the handlers
/// A whole non-negative decimal number ("12"); nullopt otherwise.
std::optional<int> parse_id(std::string_view text);
/// "dashId" or "dashId-deviceId" (device 0 when absent).
std::optional<DeviceRef> parse_target(std::string_view text);
/// The dashboard and its devices, with their live status, for the JSON writers, as `conn` may
/// see them (a shared session gets no device tokens).
model::DashboardView dashboard_view(const AppConnection& conn, const model::Dashboard& dash);
model::DeviceView device_view(const AppConnection& conn, const DeviceEntry& entry);

}  // namespace blynk::hub::app
