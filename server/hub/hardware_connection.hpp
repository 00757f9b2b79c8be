#pragma once
// The protocol state of one hardware connection: login state, quota, bridges, forwarding limit.
// Owned by the session (transport); read and changed only by the dispatcher and its handlers.

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "server/hub/device_ref.hpp"
#include "server/hub/peer.hpp"
#include "server/hub/quota.hpp"
#include "server/hub/session_identity.hpp"

namespace blynk::hub {

class UserState;

struct HardwareOptions {
    uint32_t quota_per_second = 100;      ///< user.message.quota.limit
    bool write_ack = false;               ///< hardware.write.ack
    uint32_t idle_timeout_setting = 10;   ///< hard.socket.idle.timeout (seconds, 0 = off)
    uint32_t max_sockets_per_token = 20;  ///< hard.socket.max.per.token (0 = no limit)
};

struct BridgeTarget {
    std::shared_ptr<UserState> user;
    DeviceRef device;
};

class HardwareConnection {
public:
    /// Java servers forward at most 250 body bytes to a device that has not announced buff-in.
    static constexpr size_t kDefaultMaxForwardBody = 250;
    /// The Java server allowed this many bridge channels per connection.
    static constexpr size_t kMaxBridges = 100;

    enum class State : uint8_t { Connected, LoggingIn, LoggedIn };

    HardwareConnection(SessionLink& link, const HardwareOptions& options)
        : link(link), options(options), quota(options.quota_per_second) {}

    using Bridges = std::map<std::string, BridgeTarget, std::less<>>;  ///< bridge pin -> target

    SessionLink& link;
    const HardwareOptions& options;
    const SessionIdentity identity;
    State state = State::Connected;
    uint32_t max_forward_body = kDefaultMaxForwardBody;  ///< from buff-in: larger relays dropped
    std::shared_ptr<UserState> user;                     ///< set once logged in
    DeviceRef device;
    QuotaMeter quota;
    std::unique_ptr<Bridges> bridges;  ///< made by the first bridge init: most devices have none

    bool logged_in() const { return state == State::LoggedIn; }
    /// Leaves the user's state; must run on the user's strand. Idempotent.
    void on_closed();
};

/// ceil(2.3 x seconds): the read-idle timeout the Java server derives from a heartbeat.
uint32_t idle_timeout_for_heartbeat(uint32_t heartbeat_seconds);

}  // namespace blynk::hub
