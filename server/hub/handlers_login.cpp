#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "common/util/token.hpp"
#include "server/hub/handlers.hpp"
#include "server/hub/operations.hpp"
#include "server/hub/traffic.hpp"
#include "server/logging/peer_lines.hpp"

namespace blynk::hub::handlers {
namespace {

void complete_login(HardwareConnection& conn, const TokenTarget& target, const std::string& token,
                    uint16_t id) {
    DeviceEntry* entry = target.user->find(target.device);
    if (!entry || entry->device.token != token) {
        // The token was refreshed between the index lookup and now.
        conn.state = HardwareConnection::State::Connected;
        spdlog::info("login rejected: token {} was just replaced ({})", util::redact_token(token),
                     conn.link.repr());
        count_login(Traffic::Hardware, false);
        conn.link.send_response(id, proto::status::kInvalidToken);
        return;
    }
    conn.state = HardwareConnection::State::LoggedIn;
    conn.user = target.user;
    conn.device = target.device;
    conn.link.set_identity(fmt::format("user={} device={} '{}'", target.user->email(),
                                       target.device.str(), entry->device.name));
    target.user->attach(target.device, conn);
    count_login(Traffic::Hardware, true);
    conn.link.send_response(id, proto::status::kOk);
    target.user->relay_to_apps_always(proto::cmd::kHardwareConnected, id, target.device, {});
    ops::send_pin_modes(*target.user, target.device);
    if (conn.options.idle_timeout_setting > 0) {
        conn.link.set_idle_timeout(
            std::chrono::seconds(idle_timeout_for_heartbeat(conn.options.idle_timeout_setting)));
    } else {
        conn.link.set_idle_timeout(std::chrono::seconds(0));
    }
    spdlog::info("login ok: {} ({} connection(s) on this device)", conn.link.repr(),
                 entry->connections.size());
}

}  // namespace

void login(Hub& hub, HardwareConnection& conn, const proto::FrameView& frame) {
    if (conn.state != HardwareConnection::State::Connected) {
        conn.link.send_response(frame.id, proto::status::kUserAlreadyRegistered);
        return;
    }
    std::string token(proto::trim_java(frame.body));
    if (token.empty() || token.find('\0') != std::string::npos) {
        logging::peer_log(logging::PeerLine::LoginFailure, spdlog::level::info,
                          "login rejected: malformed token ({})", conn.link.repr());
        count_login(Traffic::Hardware, false);
        conn.link.send_response(frame.id, proto::status::kInvalidToken);
        return;
    }
    auto target = hub.find_token(token);
    if (!target) {
        logging::peer_log(logging::PeerLine::LoginFailure, spdlog::level::info,
                          "login rejected: unknown token {} ({})", util::redact_token(token),
                          conn.link.repr());
        count_login(Traffic::Hardware, false);
        conn.link.send_response(frame.id, proto::status::kInvalidToken);
        return;
    }
    conn.state = HardwareConnection::State::LoggingIn;
    const uint16_t id = frame.id;
    conn.link.rebind(target->user->executor(), [&conn, target = *target, token = std::move(token),
                                                id] { complete_login(conn, target, token, id); });
}

}  // namespace blynk::hub::handlers
