#pragma once
// The protocols a FramedSession can speak. Each is a small policy: frame layout, message-id rule,
// the per-connection protocol state and the dispatcher that handles its frames. Adding a protocol
// adds a policy here and an entry in the router, not a session.

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "common/proto/codec.hpp"
#include "server/hub/app_connection.hpp"
#include "server/hub/app_dispatcher.hpp"
#include "server/hub/dispatcher.hpp"
#include "server/hub/hardware_connection.hpp"
#include "server/hub/peer.hpp"
#include "server/net/deadline_wheel.hpp"

namespace blynk::net {

struct SessionLimits {
    uint32_t max_body = 16384;         ///< after login
    uint32_t prelogin_max_body = 256;  ///< before login
    std::chrono::seconds login_timeout{10};
    size_t max_write_queue = 1 << 20;  ///< bytes queued for a slow reader before it is closed
};

/// What every session of one protocol shares with the others.
template <class Dispatcher, class Options>
struct SessionServices {
    Dispatcher& dispatcher;
    const Options& options;
    const SessionLimits& limits;
    DeadlineWheel& deadlines;  ///< login deadlines and read-idle timeouts
};

/// Boards: the 5-byte header (hardware.md).
struct HardwareProtocol {
    using Connection = hub::HardwareConnection;
    using Dispatcher = hub::Dispatcher;
    using Options = hub::HardwareOptions;
    using Services = SessionServices<Dispatcher, Options>;
    static constexpr proto::Layout kLayout = proto::Layout::Hardware;
    static constexpr hub::PeerKind kKind = hub::PeerKind::Hardware;
    static constexpr const char* kName = "hardware";
    /// Hardware clients drop the link on a frame with id 0 (hardware.md §1.5).
    static constexpr uint16_t wire_id(uint16_t id) { return id == 0 ? 1 : id; }
};

/// The mobile app: the 7-byte header with a 32-bit length (server-surface.md §2.1, §5).
struct AppProtocol {
    using Connection = hub::AppConnection;
    using Dispatcher = hub::AppDispatcher;
    using Options = hub::AppOptions;
    using Services = SessionServices<Dispatcher, Options>;
    static constexpr proto::Layout kLayout = proto::Layout::App;
    static constexpr hub::PeerKind kKind = hub::PeerKind::App;
    static constexpr const char* kName = "app";
    /// Apps take id 0 (DEVICE_OFFLINE is sent with it, as the Java server did).
    static constexpr uint16_t wire_id(uint16_t id) { return id; }
};

/// Browsers on /dashws: the app protocol with a 3-byte header, one frame per WebSocket message.
struct DashwsProtocol : AppProtocol {
    static constexpr proto::Layout kLayout = proto::Layout::WebApp;
};

using HardwareServices = HardwareProtocol::Services;
using AppServices = AppProtocol::Services;

}  // namespace blynk::net
