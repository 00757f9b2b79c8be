#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace blynk::hub {

/// A device within its user: (dashboard id, device id).
struct DeviceRef {
    int dash_id = 0;
    int device_id = 0;
    friend bool operator==(const DeviceRef&, const DeviceRef&) = default;
    friend auto operator<=>(const DeviceRef&, const DeviceRef&) = default;
    /// "1-0": the prefix the Java server puts before relayed bodies.
    std::string str() const { return std::to_string(dash_id) + "-" + std::to_string(device_id); }
};

}  // namespace blynk::hub

template <>
struct std::hash<blynk::hub::DeviceRef> {
    size_t operator()(const blynk::hub::DeviceRef& r) const noexcept {
        return std::hash<uint64_t>{}(
            (static_cast<uint64_t>(static_cast<uint32_t>(r.dash_id)) << 32) |
            static_cast<uint32_t>(r.device_id));
    }
};
