#pragma once
// Synchronous access to blynkd.db: used at start-up (load_all), by the CLI process (provisioning)
// and inside the StorageWorker thread (batched writes). One connection; not thread-safe.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/model/user.hpp"
#include "server/store/sqlite_handle.hpp"
#include "server/store/types.hpp"

namespace blynk::store {

class SqliteStore {
public:
    /// The database file inside the data directory: data_dir/"blynkd.db".
    static std::filesystem::path db_path(const std::filesystem::path& data_dir);

    /// Opens (creating if missing) the file, or ":memory:", and applies migrations.
    /// Throws StoreError, e.g. when the file's schema is newer than this code.
    explicit SqliteStore(const std::string& path_or_memory);
    ~SqliteStore();
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    /// Every user with dashboards and devices (with pins and properties, without events);
    /// users by email, dashboards and devices by id.
    std::vector<model::User> load_all();

    /// Creates a user without dashboards. Throws StoreError "user EMAIL already exists".
    /// Committed before returning; logged as kUserAdded.
    model::User add_user(const std::string& email, const std::string& password_hash);

    /// Creates a device with a fresh token in dashboard `dash_id`, or in the user's lowest
    /// dashboard when nullopt (creating dashboard 1 "My Project" if the user has none). A given
    /// dashboard that does not exist is created as "Dashboard <id>". The device id is the
    /// dashboard's highest id + 1, starting at 0. `name` and `board` are stored as given.
    /// Throws StoreError when the user does not exist or the dashboard already holds
    /// `devices_limit` devices. Committed before returning; logged as kDeviceAdded.
    AddedDevice add_device(const std::string& email, const std::string& name,
                           const std::string& board, std::optional<int> dash_id,
                           uint32_t devices_limit);

    /// Replaces a device's token; returns the new one, or nullopt when `old_token` is unknown.
    /// Committed before returning; logged as kTokenRefreshed.
    std::optional<std::string> refresh_token(const std::string& old_token);

    /// Devices (without pins and properties) of one user, or of everyone when nullopt,
    /// ordered by email, dashboard id, device id.
    std::vector<DeviceRow> list_devices(std::optional<std::string> email);

    /// The device owning `token`, with pins and properties.
    std::optional<DeviceRow> find_device_by_token(const std::string& token);

    /// provision_log entries with seq > `seq`, oldest first.
    std::vector<ProvisionEvent> provision_events_after(int64_t seq);
    /// The highest provision_log seq, 0 when empty.
    int64_t last_provision_seq();
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

private:
    struct Statements;

    bool user_exists(const std::string& email);
    std::string unused_token();
    void log_provision(std::string_view kind, const std::string& email, int dash_id, int device_id,
                       const std::string& token, const std::string& old_token);
    void load_pins_and_properties(const std::string& email, int dash_id, model::Device& device);

    Database db_;
    std::unique_ptr<Statements> st_;
};

}  // namespace blynk::store
