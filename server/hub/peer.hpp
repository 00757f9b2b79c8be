#pragma once
// What the hub knows of a connection: it can be sent frames and closed. Sessions (server/net)
// implement this; the hub never sees sockets.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

namespace blynk::hub {

/// Every user's lasting state is touched only on that user's strand (design principle 4).
using UserExecutor = boost::asio::strand<boost::asio::io_context::executor_type>;

enum class PeerKind : uint8_t { Hardware, App };

class Peer {
public:
    /// Queues one frame (header + body written together) in the peer's own framing.
    virtual void send(uint8_t command, uint16_t id, std::string_view body) = 0;
    /// Queues one RESPONSE frame.
    virtual void send_response(uint16_t id, uint16_t status) = 0;
    /// Closes the connection; `reason` appears in the disconnect log line.
    virtual void close(std::string_view reason) = 0;
    /// Closes the connection once the frames queued so far are written (an answer, then close),
    /// reading nothing more meanwhile.
    virtual void close_after_writes(std::string_view reason) = 0;
    /// Stable description for logs: kind, user, device, peer address, transport.
    virtual std::string repr() const = 0;
    virtual PeerKind kind() const = 0;

protected:
    ~Peer() = default;
};

/// The extra abilities a framed session (hardware, app) gives its protocol handlers.
class SessionLink : public Peer {
public:
    /// Read-idle timeout; zero disables it.
    virtual void set_idle_timeout(std::chrono::seconds timeout) = 0;
    /// Stops reading, moves the session onto `executor` and runs `then` there; reading resumes
    /// when `then` returns (unless paused). Used at login, to join the user's strand.
    virtual void rebind(UserExecutor executor, std::function<void()> then) = 0;
    /// The session has logged in as `identity` (what repr() says from now on): it no longer
    /// counts as an unfinished connection. Called before the login's answer is queued, so a
    /// client that has read its OK is never refused for it.
    virtual void logged_in(std::string identity) = 0;
    /// Stops handling frames (those already read stay buffered) until resume_reading(): an app
    /// login waits so for its password check.
    virtual void pause_reading() = 0;
    /// Continues after pause_reading(); called on the session's strand.
    virtual void resume_reading() = 0;
    /// The client's address, without the port (login limits are per address).
    virtual std::string_view peer_address() const = 0;
    /// The server address the client reached (what GET_SERVER answers without server.host).
    virtual std::string local_address() = 0;
    /// Keeps the session alive while work for it runs elsewhere (a password check).
    virtual std::shared_ptr<void> keep_alive() = 0;
    /// Runs `fn` on the session's current strand (from any thread).
    virtual void post(std::function<void()> fn) = 0;

protected:
    ~SessionLink() = default;
};

}  // namespace blynk::hub
