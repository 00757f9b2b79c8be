#pragma once
// Where the hub sends lasting changes. Implemented over the storage worker by server/app, so the
// hub does not depend on SQLite. Calls must not block: they queue. Pin values, the hot path, are
// not sent per write: each user collects its changed pins and hands them over in batches.

#include <cstdint>
#include <string>
#include <vector>

#include "server/hub/device_ref.hpp"
#include "server/model/pin.hpp"
#include "server/model/user.hpp"

namespace blynk::hub {

struct PinChange {
    DeviceRef device;
    model::PinKey pin;
    std::string value;
    int64_t time_ms = 0;
};

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
};

}  // namespace blynk::hub
