#pragma once
// One user's live state: dashboards, devices with their latest pin values, and the sessions that
// are online. Touched only on the user's strand (executor()); no locks.

#include <bitset>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/hub/device_ref.hpp"
#include "server/hub/hardware_connection.hpp"
#include "server/hub/peer.hpp"
#include "server/hub/persistence.hpp"
#include "server/model/user.hpp"

namespace blynk::hub {

struct DeviceEntry {
    model::Device device;
    model::HardwareInfo info;  ///< from the latest INTERNAL info of any connection
    std::vector<HardwareConnection*> connections;  ///< sessions logged in with this token
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
    UserState(std::string email, UserExecutor executor, Persistence& persistence,
              DirtyUsers& dirty_users);

    const std::string& email() const { return email_; }
    UserExecutor& executor() { return executor_; }

    // ---- everything below: only on executor() ----

    void add_dashboard(int id, std::string name);
    /// Adds or replaces a device (provisioning).
    DeviceEntry& put_device(int dash_id, model::Device device);
    DeviceEntry* find(DeviceRef ref);
    const std::map<DeviceRef, DeviceEntry>& devices() const { return devices_; }
    const std::map<int, std::string>& dashboards() const { return dashboards_; }

    /// A hardware session logged in; marks the device online.
    void attach(DeviceRef ref, HardwareConnection& connection);
    /// A hardware session left; the device goes offline when it was the last one.
    void detach(DeviceRef ref, HardwareConnection& connection);

    /// App and web sessions: they receive every device write, property and on/offline notice.
    void add_watcher(Peer& peer);
    void remove_watcher(Peer& peer);
    const std::vector<Peer*>& watchers() const { return watchers_; }

    /// Stores a pin value of a device in memory and marks it for the next persistence batch.
    void store_pin(DeviceRef ref, model::PinKey pin, std::string_view value);
    /// Hands the changed pins to persistence (on the strand; or anywhere once I/O has stopped).
    void flush_pins();
    /// Stores a pin property (label, color, ...).
    void store_property(DeviceRef ref, uint8_t pin, const std::string& name, std::string value);
    void log_event(DeviceRef ref, model::DeviceEvent event);
    /// Sends `<dash>-<device>\0<body>` (just `<dash>-<device>` for an empty body) as `command`
    /// to every watcher: the Java relay format.
    void relay_to_watchers(uint8_t command, uint16_t id, DeviceRef ref, std::string_view body);

private:
    std::string email_;
    UserExecutor executor_;
    Persistence& persistence_;
    std::map<int, std::string> dashboards_;
    std::map<DeviceRef, DeviceEntry> devices_;
    std::vector<Peer*> watchers_;
    DirtyUsers& dirty_users_;
    struct DirtyPin {
        DeviceRef device;
        model::PinKey pin;
    };
    // Changed since the last batch; each pin once (DeviceEntry::mark_changed), in write order.
    std::vector<DirtyPin> dirty_pins_;
    std::string relay_buffer_;  // reused for relay bodies
};

}  // namespace blynk::hub
