#pragma once
// The lasting data model: users own dashboards, dashboards own devices, devices own pin values,
// pin properties and events. Plain value types: no I/O, no locking (the hub owns the live copies).

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/model/pin.hpp"

namespace blynk::model {

/// What the device told about itself in its INTERNAL info message.
struct HardwareInfo {
    std::string version;      ///< "ver" (library version) or "blynk" (1.x)
    std::string firmware;     ///< "fw" / "mcu"
    std::string board;        ///< "dev"
    std::string cpu;          ///< "cpu"
    std::string connection;   ///< "con"
    std::string build;        ///< "build"
    std::string template_id;  ///< "tmpl"
    int heartbeat = 0;        ///< "h-beat" seconds, 0 = not announced
    int buff_in = 0;          ///< "buff-in" bytes, 0 = not announced
};

struct DeviceEvent {
    std::string name;
    std::string description;
    int64_t time_ms = 0;
};

struct Device {
    int id = 0;
    std::string name;
    std::string board_type;
    std::string token;
    int64_t created_at_ms = 0;
    int64_t last_seen_ms = 0;  ///< last login or disconnect; 0 = never connected
    bool online = false;       ///< connected as of last_seen_ms (persisted so the CLI can show it)
    /// Latest value per pin, multi-values NUL-joined. Hashed: a write is one lookup, however many
    /// pins the device has (sync-all sorts what it sends).
    std::unordered_map<PinKey, std::string> pins;
    std::map<std::pair<uint8_t, std::string>, std::string> properties;  ///< (virtual pin, name)
};

struct Dashboard {
    int id = 0;
    std::string name;
    std::vector<Device> devices;
};

struct User {
    std::string email;
    std::string password_hash;  ///< empty = no password set (CLI-created user)
    int64_t created_at_ms = 0;
    std::vector<Dashboard> dashboards;
};

}  // namespace blynk::model
