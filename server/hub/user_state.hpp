#pragma once
// One user's live state: account, dashboards with their widgets, devices with their latest pin
// values, and the sessions that are online (boards and apps). Touched only on the user's strand
// (executor()); no locks.

#include <atomic>
#include <bitset>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/hub/app_connection.hpp"
#include "server/hub/automation_state.hpp"
#include "server/hub/device_ref.hpp"
#include "server/hub/hardware_connection.hpp"
#include "server/hub/history_pins.hpp"
#include "server/hub/notify.hpp"
#include "server/hub/notify_rules.hpp"
#include "server/hub/outbound.hpp"
#include "server/hub/peer.hpp"
#include "server/hub/persistence.hpp"
#include "server/hub/quota.hpp"
#include "server/model/user.hpp"

namespace blynk::hub {

struct DeviceEntry {
    model::Device device;
    model::HardwareInfo info;  ///< from the latest INTERNAL info of any connection
    std::vector<HardwareConnection*> connections;  ///< sessions logged in with this token
    /// REST writes with this token (user.message.quota.limit); made at the first one, since
    /// most devices never see one.
    std::unique_ptr<QuotaMeter> rest_quota;
    bool online() const { return !connections.empty(); }

    /// Marks `pin` as changed since the last persistence batch; false when it already was.
    bool mark_changed(model::PinKey pin);
    void clear_changed(model::PinKey pin);

private:
    /// One bit per pin (3 types x 256), allocated at the device's first pin write.
    std::unique_ptr<std::bitset<3 * 256>> changed_;
};

class UserState;

/// Users with pin values not yet handed to persistence. Thread-safe; a user enters once per batch.
class DirtyUsers {
public:
    void add(std::shared_ptr<UserState> user);
    std::vector<std::shared_ptr<UserState>> take();

private:
    std::mutex mutex_;
    std::vector<std::shared_ptr<UserState>> users_;
};

class UserState : public std::enable_shared_from_this<UserState> {
public:
    /// `history_all_pins` (history.all.pins, owned by the hub): every numeric pin value keeps
    /// history, not only those of charted pins.
    UserState(std::string email, UserExecutor executor, Persistence& persistence,
              Outbound& outbound, DirtyUsers& dirty_users,
              const std::atomic<bool>& history_all_pins, const NotifySettings& notify_settings);

    const std::string& email() const { return email_; }
    UserExecutor& executor() { return executor_; }
    Persistence& persistence() { return persistence_; }
    Outbound& outbound() { return outbound_; }
    const NotifySettings& notify_settings() const { return notify_settings_; }

    // ---- everything below: only on executor() ----

    const std::string& password_hash() const { return password_hash_; }
    model::PasswordKind password_kind() const { return password_kind_; }
    void set_password(std::string hash, model::PasswordKind kind);
    /// May use the web console's admin view.
    bool admin() const { return admin_; }
    void set_admin(bool admin) { admin_ = admin; }

    /// Adds or replaces a dashboard's own fields and widgets (its devices live in devices()).
    model::Dashboard& put_dashboard(model::Dashboard dash);
    model::Dashboard* dashboard(int id);
    const std::map<int, model::Dashboard>& dashboards() const { return dashboards_; }
    /// Removes a dashboard and its devices, closing their connections.
    void remove_dashboard(int id);
    /// The dashboard changed: its snapshot goes to persistence with the next batch.
    void dashboard_changed(int id);
    /// Timers and Eventor rules (server/hub/automation.cpp); re-read after dashboard changes.
    UserAutomation& automation() { return automation_; }
    /// Whether the scheduler has anything to do for this user; readable from any thread.
    bool has_schedules() const { return automation_.scheduled.load(std::memory_order_relaxed); }

    /// Adds or replaces a device (provisioning).
    DeviceEntry& put_device(int dash_id, model::Device device);
    DeviceEntry* find(DeviceRef ref);
    const std::map<DeviceRef, DeviceEntry>& devices() const { return devices_; }
    /// Removes a device, closing its connections.
    void remove_device(DeviceRef ref, std::string_view reason);

    /// A hardware session logged in; marks the device online.
    void attach(DeviceRef ref, HardwareConnection& connection);
    /// A hardware session left; the device goes offline when it was the last one.
    void detach(DeviceRef ref, HardwareConnection& connection);

    /// App and web sessions: they receive device writes, properties and on/offline notices.
    void attach_app(AppConnection& app);
    void detach_app(AppConnection& app);
    const std::vector<AppConnection*>& apps() const { return apps_; }
    /// How many app sessions are logged in; readable from any thread (the reading-widget poller
    /// skips users without apps before it posts to their strand).
    uint32_t app_count() const { return app_count_.load(std::memory_order_relaxed); }
    /// When each reading widget ((dashboard, widget id)) next polls its device.
    std::map<std::pair<int, int64_t>, std::chrono::steady_clock::time_point>& reading_due() {
        return reading_due_;
    }
    /// Sends a frame to every app session of the user that sees dashboard `dash_id` (every
    /// session when nullopt), except `except`.
    void send_to_apps(std::optional<int> dash_id, uint8_t command, uint16_t id,
                      std::string_view body, const AppConnection* except = nullptr);
    /// Closes the shared (SHARE_LOGIN) sessions of dashboard `dash_id` once what is queued for
    /// them is written: its share token changed, its sharing was turned off, it was deleted.
    void close_shared_sessions(int dash_id, std::string_view reason);

    /// Stores a pin value of a device in memory and marks it for the next persistence batch;
    /// a numeric value of a pin that keeps history is also queued for the history.
    void store_pin(DeviceRef ref, model::PinKey pin, std::string_view value);
    /// Hands the changed pins, history samples and dashboards to persistence (on the strand; or
    /// anywhere once I/O has stopped).
    void flush_pins();
    /// Stores a pin property (label, color, ...).
    void store_property(DeviceRef ref, uint8_t pin, const std::string& name, std::string value);
    void log_event(DeviceRef ref, model::DeviceEvent event);
    /// When each device last notified (ops::notify).
    NotifyLimiter& notify_limiter() { return notify_limiter_; }
    /// Sends `<dash>-<device>\0<body>` (just `<dash>-<device>` for an empty body) as `command`
    /// to every app session, when the device's dashboard is active: the Java relay format.
    void relay_to_apps(uint8_t command, uint16_t id, DeviceRef ref, std::string_view body);
    /// The same whether or not the dashboard is active (HARDWARE_CONNECTED, echoes).
    void relay_to_apps_always(uint8_t command, uint16_t id, DeviceRef ref, std::string_view body,
                              const AppConnection* except = nullptr);

    /// Failed calls in a row of a Webhook widget (by a hash of its JSON: a changed widget starts
    /// at 0); see webhooks.hpp.
    uint32_t& webhook_failures(size_t widget_version) { return webhook_failures_[widget_version]; }

    /// The automation's definitions are read again before their next use (a dashboard, a widget
    /// or a Time Input's schedule changed).
    void automation_changed();

private:
    void mark_dirty();
    /// Whether writes to `pin` of `ref` keep history.
    bool keeps_history(DeviceRef ref, model::PinKey pin);

    std::string email_;
    UserExecutor executor_;
    Persistence& persistence_;
    Outbound& outbound_;
    std::unordered_map<size_t, uint32_t> webhook_failures_;
    std::string password_hash_;
    model::PasswordKind password_kind_ = model::PasswordKind::None;
    bool admin_ = false;
    std::map<int, model::Dashboard> dashboards_;  // without devices: those are in devices_
    std::map<DeviceRef, DeviceEntry> devices_;
    std::vector<AppConnection*> apps_;
    std::atomic<uint32_t> app_count_{0};
    UserAutomation automation_;
    std::map<std::pair<int, int64_t>, std::chrono::steady_clock::time_point> reading_due_;
    DirtyUsers& dirty_users_;
    const NotifySettings& notify_settings_;
    NotifyLimiter notify_limiter_;
    struct DirtyPin {
        DeviceRef device;
        model::PinKey pin;
    };
    // Changed since the last batch; each pin once (DeviceEntry::mark_changed), in write order.
    std::vector<DirtyPin> dirty_pins_;
    std::vector<int> dirty_dashboards_;   // ids, each once
    std::vector<HistorySample> history_;  // since the last batch, in write order
    const std::atomic<bool>& history_all_pins_;
    std::map<int, ChartedPins> charted_;  // per dashboard, made at its first write after a change
    bool in_dirty_list_ = false;          // queued in dirty_users_ for the next batch
    std::string relay_buffer_;            // reused for relay bodies
};

}  // namespace blynk::hub
