#pragma once
#include <charconv>
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
    std::string str() const {
        std::string out;
        append_to(out);
        return out;
    }
    /// Appends str() to `out` without a temporary (the relay path reuses one buffer).
    void append_to(std::string& out) const {
        char buf[2 * 11 + 1];  // two ints and the '-'
        char* const end = buf + sizeof buf;
        char* p = std::to_chars(buf, end, dash_id).ptr;
        if (p != end) *p++ = '-';
        p = std::to_chars(p, end, device_id).ptr;
        out.append(buf, p);
    }
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
