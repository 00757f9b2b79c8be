#pragma once
// One serial port with an MCU running the Blynk.NCP driver (ncp.md): blynkd stands in for the
// network co-processor. The port opens the tty raw (8N1, no flow control, the configured rate),
// cuts the byte stream into frames, answers the co-processor's own calls at once (ping, state,
// baud rate, versions, time) and turns the MCU's Blynk calls into hardware frames for its
// NcpDevice, which the hub sees as one more board. A lost or silent link ends the device's
// session and the port opens again; the MCU's next `initialize` starts a new one.
//
// Everything runs on the port's strand; the device's calls (pin_changed, ...) are posted onto it.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/serial_port.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "common/proto/ncp_framing.hpp"
#include "common/proto/ncp_rpc.hpp"
#include "config/ncp_ports.hpp"
#include "server/hub/dispatcher.hpp"
#include "server/net/live_connections.hpp"

namespace blynk::ncp {

class NcpDevice;

/// What the port has counted since start-up (logged when the server stops).
struct NcpPortCounters {
    uint64_t frames_in = 0;
    uint64_t frames_out = 0;
    uint64_t dropped_in = 0;   ///< calls the server has no use for, or before `initialize`
    uint64_t dropped_out = 0;  ///< writes with no NCP form, or over the frame cap
};

class NcpPort : public std::enable_shared_from_this<NcpPort>, public net::LiveConnections::Member {
public:
    /// The MCU is pinged after this long without a frame from it, ...
    static constexpr std::chrono::seconds kSilenceBeforePing{25};
    /// ... every this often, and the link counts as lost after this many unanswered pings.
    static constexpr std::chrono::seconds kPingInterval{5};
    static constexpr int kMaxUnansweredPings = 5;

    NcpPort(boost::asio::io_context& io, config::NcpPortConfig config, hub::Dispatcher& dispatcher,
            const hub::HardwareOptions& options);

    /// Opens the port (again and again, with a growing pause, while that fails) and serves it.
    void start();

    // From the port's device, on any thread:
    void device_online(const NcpDevice* device);
    void login_refused(const NcpDevice* device, uint16_t status);
    void device_closed(const NcpDevice* device, std::string reason);
    /// A pin write for the MCU: client.blynkVPinChange's args (u16 pin, Binary value).
    void pin_changed(const NcpDevice* device, std::string args);
    /// A frame for the device that has no NCP form: counted.
    void unsendable(const NcpDevice* device, uint8_t command);

    net::LiveConnections::Stage close_for_shutdown() override;

private:
    enum class State : uint8_t { Closed, NotInitialized, LoggingIn, Connected, Refused };

    void open();
    void retry_open(const boost::system::error_code& error);
    void schedule_open();
    bool apply_rate(uint32_t baud, boost::system::error_code& ec);
    void read_more();
    void on_read(const boost::system::error_code& ec, size_t bytes);
    void link_lost(std::string reason);
    void handle(std::string_view payload);
    void answer(const proto::ncp::Message& call);
    void on_oneway(const proto::ncp::Message& call);
    void begin_session(std::string_view template_id, std::string_view template_name);
    void end_session(std::string reason);
    uint8_t state_code() const;

    void send_oneway(uint16_t uid, std::string_view args);
    void queue(const std::string& payload);
    void write_more();
    void on_written(const boost::system::error_code& ec);
    void switch_rate(size_t just_written);
    void heartbeat();
    void check_mcu();

    boost::asio::io_context& io_;
    const config::NcpPortConfig config_;
    hub::Dispatcher& dispatcher_;
    const hub::HardwareOptions& options_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::serial_port port_;
    boost::asio::steady_timer retry_timer_;
    boost::asio::steady_timer heartbeat_timer_;
    boost::asio::steady_timer rate_timer_;

    State state_ = State::Closed;
    proto::ncp::Deframer deframer_;
    std::array<uint8_t, 2048> read_buffer_{};
    bool reading_ = false;
    std::string out_;          ///< frames waiting to be written
    std::string out_writing_;  ///< the frames being written
    bool writing_ = false;
    uint32_t rate_ = 0;                     ///< the rate the port runs at
    std::optional<uint32_t> pending_rate_;  ///< asked for: applied once the answer is out
    bool switching_rate_ = false;
    std::chrono::seconds retry_delay_{1};
    std::string last_open_error_;
    std::chrono::steady_clock::time_point last_frame_{};
    int unanswered_pings_ = 0;
    uint16_t next_call_id_ = 1;

    std::string firmware_info_;  ///< INTERNAL info fields from setFirmwareInfo
    std::shared_ptr<NcpDevice> device_;
    bool provisioned_once_ = false;  ///< event 20 was sent
    NcpPortCounters counters_;
};

}  // namespace blynk::ncp
