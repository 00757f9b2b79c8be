#pragma once
// Plain values exchanged with the store: provisioning results, provisioning log entries, and
// the batched writes the storage worker coalesces.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/model/pin.hpp"
#include "server/model/user.hpp"

namespace blynk::store {

/// provision_log kinds.
inline constexpr std::string_view kUserAdded = "user_added";
inline constexpr std::string_view kDeviceAdded = "device_added";
inline constexpr std::string_view kTokenRefreshed = "token_refreshed";
inline constexpr std::string_view kDeviceDeleted = "device_deleted";
inline constexpr std::string_view kPasswordChanged = "password_changed";
inline constexpr std::string_view kAdminChanged = "admin_changed";
inline constexpr std::string_view kUserDeleted = "user_deleted";

/// A device just created by Store::add_device().
struct AddedDevice {
    std::string email;
    int dash_id = 0;
    model::Device device;
};

/// One line of `blynkd user list`.
struct UserSummary {
    std::string email;
    model::PasswordKind password_kind = model::PasswordKind::None;
    bool admin = false;
    int64_t created_at_ms = 0;
    size_t dashboards = 0;
    size_t devices = 0;  ///< in all of the user's dashboards
};

/// A device with its owner and dashboard.
struct DeviceRow {
    std::string email;
    int dash_id = 0;
    model::Device device;
};

/// One committed provisioning change, read back from provision_log (possibly written by
/// another process, e.g. the CLI).
struct ProvisionEvent {
    int64_t seq = 0;
    std::string kind;  ///< one of the provision_log kinds above
    std::string email;
    int dash_id = 0;
    int device_id = 0;
    /// The device's token: the new one for kTokenRefreshed, the deleted one for kDeviceDeleted;
    /// empty for kUserAdded, kPasswordChanged, kAdminChanged and kUserDeleted.
    std::string token;
    std::string old_token;  ///< the replaced token for kTokenRefreshed
};

/// Latest value of one pin (`value` may contain NUL bytes). Views, valid for the call they are
/// passed to: batches are written without copying a string per row.
struct PinWrite {
    std::string_view email;
    int dash_id = 0;
    int device_id = 0;
    model::PinKey pin;
    std::string_view value;
    int64_t time_ms = 0;
};

/// A pin value of one device of a user, handed over with the user's other changed pins.
struct PinUpdate {
    int dash_id = 0;
    int device_id = 0;
    model::PinKey pin;
    std::string value;
    int64_t time_ms = 0;
};

/// One property (label, color, ...) of a virtual pin.
struct PropertyWrite {
    std::string email;
    int dash_id = 0;
    int device_id = 0;
    uint8_t pin = 0;
    std::string name;
    std::string value;
};

/// A device's last-seen time and whether it is connected as of that time. The stored time never
/// moves backwards, and `online` is taken only from a write at least as new as the stored one.
struct LastSeenWrite {
    std::string email;
    int dash_id = 0;
    int device_id = 0;
    int64_t last_seen_ms = 0;
    bool online = false;
};

/// One device event (appended, never coalesced).
struct EventWrite {
    std::string email;
    int dash_id = 0;
    int device_id = 0;
    model::DeviceEvent event;
};

}  // namespace blynk::store
