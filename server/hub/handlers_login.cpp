#include <chrono>
#include <memory>

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "common/util/log_throttle.hpp"
#include "common/util/token.hpp"
#include "server/hub/handlers.hpp"
#include "server/hub/operations.hpp"
#include "server/hub/traffic.hpp"
#include "server/logging/peer_lines.hpp"

namespace blynk::hub::handlers {
namespace {

using Clock = std::chrono::steady_clock;

/// Refusals over hard.socket.max.per.token: a board stuck in a reconnect loop must not fill the
/// log with them.
util::LogThrottle& crowded_token_log() {
    static util::LogThrottle throttle(std::chrono::minutes(1));
    return throttle;
}

/// Answers a login over the token's connection limit with NOT_ALLOWED, then closes: clients take
/// it as a failed login and retry later (INVALID_TOKEN would make the JavaScript client give up
/// for good on a token that is right).
void refuse_crowded_token(HardwareConnection& conn, const std::string& token, size_t connections,
                          uint16_t id) {
    conn.state = HardwareConnection::State::Connected;
    count_login(Traffic::Hardware, false);
    if (const auto held_back = crowded_token_log().admit()) {
        spdlog::warn(
            "login refused: token {} has {} connections already (hard.socket.max.per.token) "
            "({}); {} such refusal(s) not logged in the last minute",
            util::redact_token(token), connections, conn.link.repr(), *held_back);
    }
    conn.link.send_response(id, proto::status::kNotAllowed);
    conn.link.close_after_writes("too many connections with this token");
}

/// A wrong or malformed token: INVALID_TOKEN, at once or, for an address with many wrong tokens,
/// after a delay (a timer, never a wait on the I/O thread; the session reads nothing meanwhile).
/// The wrong token that blocks the address closes the connection instead.
void refuse_token(Hub& hub, TokenGuessLimiter& guesses, HardwareConnection& conn, uint16_t id) {
    count_login(Traffic::Hardware, false);
    const auto verdict = guesses.failed(conn.link.peer_address(), Clock::now());
    if (verdict.block_started) {
        spdlog::warn(
            "hardware logins from {} blocked for {} s: too many wrong tokens "
            "(hardware.login.failures.per.address)",
            conn.link.peer_address(),
            guesses.blocked_for(conn.link.peer_address(), Clock::now()).count());
        conn.link.close("too many wrong tokens from this address");
        return;
    }
    if (verdict.delay.count() == 0) {
        conn.link.send_response(id, proto::status::kInvalidToken);
        return;
    }
    conn.link.pause_reading();
    auto timer = std::make_shared<boost::asio::steady_timer>(hub.io(), verdict.delay);
    timer->async_wait(
        [timer, &conn, alive = conn.link.keep_alive(), id](boost::system::error_code) {
            conn.link.post([&conn, alive, id] {
                conn.link.send_response(id, proto::status::kInvalidToken);
                conn.link.resume_reading();
            });
        });
}

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
    const size_t connections = entry->connections.size();
    if (conn.options.max_sockets_per_token > 0 &&
        connections >= conn.options.max_sockets_per_token) {
        refuse_crowded_token(conn, token, connections, id);
        return;
    }
    conn.state = HardwareConnection::State::LoggedIn;
    conn.user = target.user;
    conn.device = target.device;
    conn.link.logged_in(fmt::format("user={} device={} '{}'", target.user->email(),
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

void login(Hub& hub, TokenGuessLimiter& guesses, HardwareConnection& conn,
           const proto::FrameView& frame) {
    if (conn.state != HardwareConnection::State::Connected) {
        conn.link.send_response(frame.id, proto::status::kUserAlreadyRegistered);
        return;
    }
    // A blocked address learns nothing, not even whether its token was right.
    if (guesses.blocked_for(conn.link.peer_address(), Clock::now()).count() > 0) {
        conn.link.close("address blocked after repeated wrong tokens");
        return;
    }
    std::string token(proto::trim_java(frame.body));
    if (token.empty() || token.find('\0') != std::string::npos) {
        logging::peer_log(logging::PeerLine::LoginFailure, spdlog::level::info,
                          "login rejected: malformed token ({})", conn.link.repr());
        refuse_token(hub, guesses, conn, frame.id);
        return;
    }
    auto target = hub.find_token(token);
    if (!target) {
        logging::peer_log(logging::PeerLine::LoginFailure, spdlog::level::info,
                          "login rejected: unknown token {} ({})", util::redact_token(token),
                          conn.link.repr());
        refuse_token(hub, guesses, conn, frame.id);
        return;
    }
    conn.state = HardwareConnection::State::LoggingIn;
    const uint16_t id = frame.id;
    conn.link.rebind(target->user->executor(), [&conn, target = *target, token = std::move(token),
                                                id] { complete_login(conn, target, token, id); });
}

}  // namespace blynk::hub::handlers
