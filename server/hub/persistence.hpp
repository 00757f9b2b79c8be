#pragma once
// Where the hub sends lasting changes. Implemented over the storage worker by server/app, so the
// hub does not depend on SQLite. Calls must not block: they queue. Pin values, the hot path, are
// not sent per write: each user collects its changed pins and hands them over in batches; so are
// dashboard snapshots (write-behind). Provisioning (accounts, devices, tokens) is committed before
// it is acknowledged: those calls answer through a callback, which runs on the storage thread
// (callers post it on to their strand, see answer_on()).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/hub/device_ref.hpp"
#include "server/model/history.hpp"
#include "server/model/pin.hpp"
#include "server/model/user.hpp"

namespace blynk::hub {

struct PinChange {
    DeviceRef device;
    model::PinKey pin;
    std::string value;
    int64_t time_ms = 0;
};

/// One numeric value written to a pin whose history is kept (every write, never coalesced).
struct HistorySample {
    DeviceRef device;
    model::PinKey pin;
    double value = 0;
    int64_t time_ms = 0;
};

/// A storage call's answer: an empty error means done.
using Done = std::function<void(std::string error)>;
template <class T>
using DoneWith = std::function<void(std::optional<T> result, std::string error)>;

class Persistence {
public:
    virtual ~Persistence() = default;
    /// The latest values of pins that changed since the last call (coalesced per pin).
    virtual void pins_changed(const std::string& email, std::vector<PinChange> changes) = 0;
    virtual void property_changed(const std::string& email, DeviceRef device, uint8_t pin,
                                  const std::string& name, const std::string& value) = 0;
    virtual void device_seen(const std::string& email, DeviceRef device, int64_t time_ms,
                             bool online) = 0;
    virtual void event_logged(const std::string& email, DeviceRef device,
                              const model::DeviceEvent& event) = 0;
    /// Values to append to the pins' history, in write order (each user's since the last call).
    virtual void history_recorded(const std::string& email, std::vector<HistorySample> samples) = 0;
    /// Snapshots of dashboards whose own fields or widgets changed (not their devices).
    virtual void dashboards_changed(const std::string& email,
                                    std::vector<model::Dashboard> dashboards) = 0;
    virtual void put_push_token(const std::string& email, model::PushToken token) = 0;
    /// Removes a user's push tokens of one app installation (all of them for an empty uid).
    virtual void remove_push_tokens(const std::string& email, std::string uid) = 0;

    // ---- committed before they answer ----
    /// A new account (an administrator when `admin`).
    virtual void add_user(const std::string& email, std::string password_hash,
                          model::PasswordKind kind, bool admin, Done done) = 0;
    /// Deletes an account with everything it holds.
    virtual void delete_user(const std::string& email, Done done) = 0;
    /// Stores a new dashboard with its devices; the answer carries the devices' new tokens.
    virtual void create_dashboard(const std::string& email, model::Dashboard dash,
                                  DoneWith<model::Dashboard> done) = 0;
    virtual void delete_dashboard(const std::string& email, int dash_id, Done done) = 0;
    /// Stores a new device; the answer carries its token.
    virtual void create_device(const std::string& email, int dash_id, model::Device device,
                               DoneWith<model::Device> done) = 0;
    virtual void update_device(const std::string& email, int dash_id, model::Device device,
                               Done done) = 0;
    virtual void delete_device(const std::string& email, DeviceRef device, Done done) = 0;
    /// Replaces a device's token; the answer carries the new one.
    virtual void refresh_token(const std::string& email, DeviceRef device,
                               DoneWith<std::string> done) = 0;

    // ---- reads ----
    /// Up to `limit` stored events of a device, newest first (events still waiting for the next
    /// flush are not among them).
    virtual void device_events(const std::string& email, DeviceRef device, size_t limit,
                               DoneWith<std::vector<model::DeviceEvent>> done) = 0;
    /// Stored history of one pin of a device (points still waiting for the next flush may be
    /// missing), oldest first.
    virtual void history(const std::string& email, DeviceRef device, model::PinKey pin,
                         model::HistoryQuery query,
                         DoneWith<std::vector<model::HistoryPoint>> done) = 0;
    /// Deletes the stored history of one pin of a device, or of all its pins when pin is nullopt.
    virtual void delete_history(const std::string& email, DeviceRef device,
                                std::optional<model::PinKey> pin, Done done) = 0;
};

}  // namespace blynk::hub
