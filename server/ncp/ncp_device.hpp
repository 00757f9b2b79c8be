#pragma once
// The device an MCU on a serial port becomes, from one `initialize` of its NCP driver to the end
// of that session. A hub::SessionLink like a TCP board's session, so that what the MCU does passes
// the same dispatcher (login, quota, storage, routing, logs) as a board's frames: the port turns
// the MCU's calls into hardware frames and hands them to deliver(); what the hub sends the device
// goes back to the port, which turns pin writes into the MCU's client.blynkVPinChange.
//
// Threads: the hub calls the SessionLink side on the session's strand (the user's after the
// login); the port calls start/deliver/end from its own strand, and they post onto the session's.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "server/hub/dispatcher.hpp"
#include "server/hub/hardware_connection.hpp"
#include "server/hub/peer.hpp"
#include "server/hub/traffic.hpp"

namespace blynk::ncp {

class NcpPort;

class NcpDevice : public hub::SessionLink, public std::enable_shared_from_this<NcpDevice> {
public:
    NcpDevice(std::shared_ptr<NcpPort> port, hub::Dispatcher& dispatcher,
              const hub::HardwareOptions& options, hub::UserExecutor strand, std::string path);

    /// Logs in with `token`; once logged in, sends the board information `info` (an INTERNAL
    /// body) as a board's library does.
    void start(std::string token, std::string info);
    /// A frame the MCU sent, as a board would have sent it.
    void deliver(uint8_t command, std::string body);
    /// Ends the session (the link was lost, the MCU initialised again, the server stops).
    void end(std::string reason);

    // ---- hub::Peer ----
    void send(uint8_t command, uint16_t id, std::string_view body) override;
    void send_response(uint16_t id, uint16_t status) override;
    void close(std::string_view reason) override;
    void close_after_writes(std::string_view reason) override { close(reason); }
    std::string repr() const override;
    hub::PeerKind kind() const override { return hub::PeerKind::Hardware; }

    // ---- hub::SessionLink ----
    /// The port watches the MCU itself (ncp.md §3.4): the hub's idle timeout does not apply.
    void set_idle_timeout(std::chrono::seconds) override {}
    void rebind(hub::UserExecutor executor, std::function<void()> then) override;
    void logged_in(std::string identity) override;
    void pause_reading() override { paused_ = true; }
    void resume_reading() override;
    std::string_view peer_address() const override { return path_; }
    std::string local_address() override { return {}; }
    std::shared_ptr<void> keep_alive() override { return shared_from_this(); }
    void post(std::function<void()> fn) override;

private:
    hub::UserExecutor strand() const;
    /// On the session's strand: hands one frame to the dispatcher, or holds it while paused.
    void dispatch(uint8_t command, std::string_view body);
    void teardown(std::string_view reason);

    std::shared_ptr<NcpPort> port_;
    hub::Dispatcher& dispatcher_;
    hub::HardwareConnection conn_;
    hub::CountedConnection counted_{hub::Traffic::Hardware, hub::Transport::Serial};
    const std::string path_;
    mutable std::mutex strand_mutex_;  // the port reads strand_ while a login may change it
    hub::UserExecutor strand_;
    // On the session's strand:
    std::string identity_;
    std::string info_;
    uint16_t next_id_ = 1;
    uint16_t login_id_ = 0;
    bool paused_ = false;
    bool ended_ = false;
    std::deque<std::pair<uint8_t, std::string>> held_;  ///< frames that came while paused
};

}  // namespace blynk::ncp
