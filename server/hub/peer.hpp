#pragma once
// What the hub knows of a connection: it can be sent frames and closed. Sessions (server/net)
// implement this; the hub never sees sockets.

#include <chrono>
#include <cstdint>
#include <functional>
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
    /// Stable description for logs: kind, user, device, peer address, transport.
    virtual std::string repr() const = 0;
    virtual PeerKind kind() const = 0;

protected:
    ~Peer() = default;
};

/// The extra abilities a hardware session gives its protocol handlers.
class HardwareLink : public Peer {
public:
    /// Read-idle timeout; zero disables it.
    virtual void set_idle_timeout(std::chrono::seconds timeout) = 0;
    /// Stops reading, moves the session onto `executor` and runs `then` there; reading resumes
    /// when `then` returns. Used once, at login, to join the user's strand.
    virtual void rebind(UserExecutor executor, std::function<void()> then) = 0;
    /// Updates what repr() says once the session is logged in.
    virtual void set_identity(std::string identity) = 0;

protected:
    ~HardwareLink() = default;
};

}  // namespace blynk::hub
