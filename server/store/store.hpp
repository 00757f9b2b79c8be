#pragma once
// Synchronous access to the database (blynkd.db, or PostgreSQL with storage=postgresql): used at
// start-up (load_all), by the CLI process (provisioning) and inside the StorageWorker thread
// (batched writes). One connection; not thread-safe.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/model/automation_mark.hpp"
#include "server/model/user.hpp"
#include "server/store/history_store.hpp"
#include "server/store/sql_handle.hpp"
#include "server/store/types.hpp"

namespace blynk::store {

class Store {
public:
    /// The database file inside the data directory: data_dir/"blynkd.db".
    static std::filesystem::path db_path(const std::filesystem::path& data_dir);

    /// Opens (creating if missing) the file, ":memory:" or a postgresql:// URL (sql_handle.hpp),
    /// and applies migrations. Throws StoreError, e.g. when the schema is newer than this code.
    explicit Store(const std::string& location);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// Every user with dashboards (with widgets) and devices (with pins and properties, without
    /// events) and push tokens; users by email, dashboards and devices by id. A stored widget
    /// that does not parse is left out with a warning.
    std::vector<model::User> load_all();

    /// Creates a user without dashboards, `password_hash` made as `kind` says (empty with
    /// PasswordKind::None), an administrator when `admin`. Throws StoreError "user EMAIL already
    /// exists". Committed before returning; logged as kUserAdded.
    model::User add_user(const std::string& email, const std::string& password_hash,
                         model::PasswordKind kind, bool admin = false);

    /// Makes a user an administrator or not; false when there is no such user. Committed before
    /// returning; logged as kAdminChanged.
    bool set_admin(const std::string& email, bool admin);

    /// Deletes a user with everything the account holds (dashboards, devices and their tokens,
    /// pin values, properties, events, push tokens); false when there is no such user.
    /// Committed before returning; logged as kUserDeleted.
    bool delete_user(const std::string& email);

    /// Replaces a user's password hash and kind; false when there is no such user. Committed
    /// before returning; logged as kPasswordChanged.
    bool set_password(const std::string& email, const std::string& password_hash,
                      model::PasswordKind kind);

    /// Writes a user brought from elsewhere (`blynkd import-java`) in ONE transaction, everything
    /// as given: the account (password hash and kind, admin, created_at_ms), every dashboard with
    /// all its fields, each device with its token (a fresh one when empty) and created_at_ms
    /// (now when 0), pin values (stamped with their dashboard's updated_at_ms, or now) and
    /// properties. With `replace` an existing user of that e-mail is deleted first, with all it
    /// holds; without, it throws StoreError "user EMAIL already exists". Throws StoreError when a
    /// token belongs to another device. Logged as kUserAdded. Not seen by a running server,
    /// which loads dashboards only at start-up.
    void import_user(const model::User& user, bool replace);

    /// Every user with the number of dashboards and devices, ordered by email.
    std::vector<UserSummary> list_users();
    /// One user's account (e-mail, password, creation time), without dashboards; nullopt when
    /// there is no such user.
    std::optional<model::User> find_user(const std::string& email);

    /// Creates a device with a fresh token in dashboard `dash_id`, or in the user's lowest
    /// dashboard when nullopt (creating dashboard 1 "My Project" if the user has none). A given
    /// dashboard that does not exist is created as "Dashboard <id>". The device id is the
    /// dashboard's highest id + 1, starting at 0. `name` and `board` are stored as given.
    /// Throws StoreError when the user does not exist, the dashboard already holds
    /// `devices_limit` devices, or a dashboard would be created while the user has
    /// `dashboards_limit`. Both limits are checked inside the insert's IMMEDIATE transaction, so
    /// concurrent calls (several CLI processes) cannot pass them together. Committed before
    /// returning; logged as kDeviceAdded.
    AddedDevice add_device(const std::string& email, const std::string& name,
                           const std::string& board, std::optional<int> dash_id,
                           uint32_t devices_limit, uint32_t dashboards_limit = UINT32_MAX);

    /// Replaces a device's token; returns the new one, or nullopt when `old_token` is unknown.
    /// Committed before returning; logged as kTokenRefreshed.
    std::optional<std::string> refresh_token(const std::string& old_token);

    // -----------------------------------------------------------------------------------------
    // The app's profile: dashboards (with widgets), devices by id, push tokens.

    /// Stores a new dashboard with every field as given, and each of its devices (id, name,
    /// board_type, extra as given) with a fresh token and created_at_ms = now; returns `dash`
    /// with those tokens and times. Throws StoreError "user EMAIL does not exist", "dashboard N
    /// already exists", "EMAIL already has N dashboards (user.dashboard.max.limit)" when it
    /// has `dashboards_limit`, or when the dashboard would hold more than `devices_limit`
    /// devices or holds a device id twice. Committed before returning; kDeviceAdded per device.
    model::Dashboard create_dashboard(const std::string& email, model::Dashboard dash,
                                      uint32_t dashboards_limit, uint32_t devices_limit);

    /// The write-behind of dashboard edits: in ONE transaction, writes every field of each
    /// dashboard except created_at_ms and its devices (name, updated_at_ms, the flags,
    /// share_token, settings, widgets). Dashboards that no longer exist are skipped.
    void save_dashboards(const std::string& email, const std::vector<model::Dashboard>& dashes);

    /// Deletes a dashboard with its devices, pin values, properties, events and push tokens;
    /// returns the deleted devices' tokens in device id order. Throws StoreError "dashboard N
    /// does not exist". Committed before returning; kDeviceDeleted per device.
    std::vector<std::string> delete_dashboard(const std::string& email, int dash_id);

    /// Adds `device` (id, name, board_type, extra as given) to an existing dashboard with a
    /// fresh token and created_at_ms = now, and returns it so. Throws StoreError "dashboard N
    /// does not exist", "device N already exists in dashboard M", or when the dashboard already
    /// holds `devices_limit` devices. Committed before returning; logged as kDeviceAdded.
    model::Device create_device(const std::string& email, int dash_id, model::Device device,
                                uint32_t devices_limit);

    /// Writes a device's name, board_type and extra; false when the device does not exist.
    bool update_device(const std::string& email, int dash_id, const model::Device& device);

    /// Deletes a device with its pin values, properties and events; returns its token, or
    /// nullopt when it does not exist. Committed before returning; logged as kDeviceDeleted.
    std::optional<std::string> delete_device(const std::string& email, int dash_id, int device_id);

    /// Gives a device a fresh token; returns it, or nullopt when the device does not exist.
    /// Committed before returning; logged as kTokenRefreshed (with the old token).
    std::optional<std::string> refresh_device_token(const std::string& email, int dash_id,
                                                    int device_id);

    /// Stores (or replaces) the push token of one app installation for one dashboard. Throws
    /// StoreError "dashboard N does not exist".
    void put_push_token(const std::string& email, const model::PushToken& token);

    /// Removes the push tokens of the app installation `uid` in all of the user's dashboards;
    /// an empty `uid` removes all of the user's push tokens.
    void remove_push_tokens(const std::string& email, const std::string& uid);

    /// Records what a scheduled group handled last (replacing its previous mark); nothing when
    /// the dashboard is gone.
    void put_automation_mark(const std::string& email, const model::AutomationMark& mark);
    /// Every user's marks (e-mail, mark), for start-up.
    std::vector<std::pair<std::string, model::AutomationMark>> automation_marks();

    /// Devices (without pins and properties) of one user, or of everyone when nullopt,
    /// ordered by email, dashboard id, device id.
    std::vector<DeviceRow> list_devices(std::optional<std::string> email);

    /// The device owning `token`, with pins and properties.
    std::optional<DeviceRow> find_device_by_token(const std::string& token);

    /// provision_log entries with seq > `seq`, oldest first.
    std::vector<ProvisionEvent> provision_events_after(int64_t seq);
    /// The highest provision_log seq, 0 when empty.
    int64_t last_provision_seq();
    /// Takes the write lock and gives it back (BEGIN IMMEDIATE, ROLLBACK): throws StoreError when
    /// the database cannot be written now (a read-only file, a lock held past the busy timeout).
    void check_writable();
    /// PRAGMA data_version: changes when ANOTHER connection commits (not on our own commits).
    int64_t data_version();

    /// Commits all writes in ONE transaction with upserts (last write per key wins). Writes for
    /// devices that do not exist (any more) are skipped, not errors. Throws StoreError when the
    /// transaction fails (nothing is written then).
    void write_batch(const std::vector<PinWrite>& pins,
                     const std::vector<PropertyWrite>& properties,
                     const std::vector<LastSeenWrite>& last_seen,
                     const std::vector<EventWrite>& events);

    /// Clears every device's online flag; the server calls it at start-up, when no device is
    /// connected (flags left by a crash would be stale). Returns how many were online.
    size_t mark_all_offline();

    /// Up to `limit` events of one device, newest first.
    std::vector<model::DeviceEvent> device_events(const std::string& email, int dash_id,
                                                  int device_id, size_t limit);

    /// The history of pin values, on this connection.
    HistoryStore& history() { return *history_; }

private:
    struct Statements;

    bool user_exists(const std::string& email);
    bool dashboard_exists(const std::string& email, int dash_id);
    void insert_dashboard(const std::string& email, const model::Dashboard& dash);
    /// Throws StoreError when the user already has `dashboards_limit` dashboards.
    void check_room_for_dashboard(const std::string& email, uint32_t dashboards_limit);
    /// The dashboard's highest device id + 1 (0 when empty). Throws StoreError when the
    /// dashboard already holds `devices_limit` devices.
    int next_device_id(const std::string& email, int dash_id, uint32_t devices_limit);
    /// Inserts `device` with a fresh token and created_at_ms = now (both set in `device`) and
    /// logs kDeviceAdded.
    void insert_device(const std::string& email, int dash_id, model::Device& device);
    /// The token of a device; nullopt when it does not exist.
    std::optional<std::string> device_token(const std::string& email, int dash_id, int device_id);
    /// Gives the device owning `old_token` a fresh token, logs kTokenRefreshed, commits `tx`
    /// (the caller's) and returns the new token.
    std::string replace_token(Transaction& tx, const std::string& email, int dash_id, int device_id,
                              const std::string& old_token);
    std::string unused_token();
    void log_provision(std::string_view kind, const std::string& email, int dash_id, int device_id,
                       const std::string& token, const std::string& old_token);
    void load_pins_and_properties(const std::string& email, int dash_id, model::Device& device);
    /// PostgreSQL's write of pin values, as arrays (see upsert_pin); `pins` has one write per
    /// pin. Returns how many were skipped (their device is gone).
    size_t upsert_pin_arrays(const std::vector<const PinWrite*>& pins);

    Database db_;
    std::unique_ptr<Statements> st_;
    std::unique_ptr<HistoryStore> history_;
};

}  // namespace blynk::store
