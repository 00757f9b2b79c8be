#include "server/ncp/ncp_port.hpp"

#include <termios.h>

#include <algorithm>
#include <span>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "common/proto/command.hpp"
#include "common/proto/ncp_uids.hpp"
#include "common/proto/ncp_values.hpp"
#include "common/util/token.hpp"
#include "server/ncp/ncp_device.hpp"

namespace blynk::ncp {
namespace {

namespace uid = proto::ncp::uid;
namespace state = proto::ncp::state;
using proto::ncp::Writer;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kMaxRetryDelay{30};

}  // namespace

NcpPort::NcpPort(boost::asio::io_context& io, config::NcpPortConfig config,
                 hub::Dispatcher& dispatcher, const hub::HardwareOptions& options)
    : io_(io),
      config_(std::move(config)),
      dispatcher_(dispatcher),
      options_(options),
      strand_(boost::asio::make_strand(io)),
      port_(strand_),
      retry_timer_(strand_),
      heartbeat_timer_(strand_),
      rate_timer_(strand_) {}

void NcpPort::start() {
    join_live_connections(shared_from_this());
    boost::asio::post(strand_, [self = shared_from_this()] {
        self->open();
        self->heartbeat();
    });
}

// ---- the port ----

bool NcpPort::apply_rate(uint32_t baud, boost::system::error_code& ec) {
    using boost::asio::serial_port_base;
    // Raw 8N1 and no flow control: Arduino MCUs send 0x11 and 0x13 unescaped (ncp.md §1.1).
    port_.set_option(serial_port_base::baud_rate(baud), ec);
    if (!ec) port_.set_option(serial_port_base::character_size(8), ec);
    if (!ec) port_.set_option(serial_port_base::parity(serial_port_base::parity::none), ec);
    if (!ec) port_.set_option(serial_port_base::stop_bits(serial_port_base::stop_bits::one), ec);
    if (!ec)
        port_.set_option(serial_port_base::flow_control(serial_port_base::flow_control::none), ec);
    if (!ec) rate_ = baud;
    return !ec;
}

void NcpPort::open() {
    boost::system::error_code ec;
    port_.open(config_.path, ec);
    if (!ec) apply_rate(config_.baud, ec);
    if (ec) {
        boost::system::error_code ignored;
        port_.close(ignored);
        return retry_open(ec);
    }
    retry_delay_ = std::chrono::seconds(1);
    last_open_error_.clear();
    deframer_ = proto::ncp::Deframer();
    state_ = State::NotInitialized;
    last_frame_ = Clock::now();
    unanswered_pings_ = 0;
    spdlog::info("ncp: {}: open at {} baud for the device of token {}; waiting for the MCU",
                 config_.path, rate_, util::redact_token(config_.token));
    // An MCU that was running (the server restarted) initialises again at once on this event
    // instead of after its own timeouts; one that is just starting ignores it.
    std::string args;
    Writer(args).u8(proto::ncp::event::kNcpRebooting);
    send_oneway(uid::kClientProcessEvent, args);
    read_more();
}

void NcpPort::retry_open(const boost::system::error_code& error) {
    if (error.message() != last_open_error_) {
        spdlog::warn("ncp: {}: cannot open: {}; trying again, every {} s at most", config_.path,
                     error.message(), kMaxRetryDelay.count());
        last_open_error_ = error.message();
    }
    schedule_open();
}

void NcpPort::schedule_open() {
    retry_timer_.expires_after(retry_delay_);
    retry_delay_ = std::min(retry_delay_ * 2, kMaxRetryDelay);
    retry_timer_.async_wait(boost::asio::bind_executor(
        strand_, [self = shared_from_this()](boost::system::error_code ec) {
            if (!ec && self->state_ == State::Closed) self->open();
        }));
}

void NcpPort::read_more() {
    if (reading_ || !port_.is_open()) return;
    reading_ = true;
    port_.async_read_some(
        boost::asio::buffer(read_buffer_),
        boost::asio::bind_executor(
            strand_, [self = shared_from_this()](boost::system::error_code ec, size_t bytes) {
                self->on_read(ec, bytes);
            }));
}

void NcpPort::on_read(const boost::system::error_code& ec, size_t bytes) {
    reading_ = false;
    if (ec) {
        if (port_.is_open()) link_lost(ec.message());
        return;
    }
    std::span<const uint8_t> in(read_buffer_.data(), bytes);
    while (auto payload = deframer_.next(in)) {
        ++counters_.frames_in;
        last_frame_ = Clock::now();
        unanswered_pings_ = 0;
        handle(*payload);
    }
    read_more();
}

void NcpPort::link_lost(std::string reason) {
    spdlog::warn("ncp: {}: link lost ({}); opening it again", config_.path, reason);
    end_session("serial link lost: " + reason);
    boost::system::error_code ignored;
    port_.close(ignored);
    state_ = State::Closed;
    out_.clear();
    pending_rate_.reset();
    schedule_open();
}

// ---- the device's session ----

void NcpPort::end_session(std::string reason) {
    if (device_) {
        device_->end(std::move(reason));
        device_.reset();
    }
    if (state_ != State::Closed) state_ = State::NotInitialized;
}

uint8_t NcpPort::state_code() const {
    switch (state_) {
        case State::LoggingIn:
            return state::kConnectingCloud;
        case State::Connected:
            return state::kConnected;
        case State::Refused:
            return state::kConfig;
        case State::Closed:
        case State::NotInitialized:
            break;
    }
    return state::kNotInitialized;
}

void NcpPort::device_online(const NcpDevice* device) {
    boost::asio::post(strand_, [self = shared_from_this(), device] {
        if (device != self->device_.get()) return;
        self->state_ = State::Connected;
        // The library learns of the connection only from pushed states: 4, then 5
        // (BLYNK_CONNECTED runs), and "provisioned" the first time.
        for (uint8_t s : {state::kConnectingCloud, state::kConnected}) {
            std::string args;
            Writer(args).u8(s);
            self->send_oneway(uid::kClientStateChange, args);
        }
        if (!self->provisioned_once_) {
            std::string args;
            Writer(args).u8(proto::ncp::event::kProvisioned);
            self->send_oneway(uid::kClientProcessEvent, args);
            self->provisioned_once_ = true;
        }
        spdlog::info("ncp: {}: online: {}", self->config_.path, self->device_->repr());
    });
}

void NcpPort::login_refused(const NcpDevice* device, uint16_t status) {
    boost::asio::post(strand_, [self = shared_from_this(), device, status] {
        if (device != self->device_.get()) return;
        spdlog::error(
            "ncp: {}: the token given in ncp.ports was refused (status {}); the MCU stays offline "
            "until it initialises again (check the token with `blynkd device list`)",
            self->config_.path, status);
        self->end_session("login refused");
        self->state_ = State::Refused;
        std::string args;
        Writer(args).u8(state::kConfig);
        self->send_oneway(uid::kClientStateChange, args);
    });
}

void NcpPort::device_closed(const NcpDevice* device, std::string reason) {
    boost::asio::post(strand_, [self = shared_from_this(), device, reason = std::move(reason)] {
        if (device != self->device_.get()) return;
        self->device_.reset();  // it leaves the hub by itself
        std::string args;
        if (self->state_ == State::LoggingIn) {
            // Closed before it was online (its address blocked after wrong tokens): as refused,
            // or the MCU would be asked to initialise again and again.
            spdlog::error(
                "ncp: {}: the login was refused ({}); the MCU stays offline until it "
                "initialises again",
                self->config_.path, reason);
            self->state_ = State::Refused;
            Writer(args).u8(state::kConfig);
            self->send_oneway(uid::kClientStateChange, args);
            return;
        }
        spdlog::warn(
            "ncp: {}: the device's session was closed ({}); the MCU is asked to "
            "initialise again",
            self->config_.path, reason);
        self->state_ = State::NotInitialized;
        Writer(args).u8(proto::ncp::event::kNcpRebooting);
        self->send_oneway(uid::kClientProcessEvent, args);
    });
}

void NcpPort::pin_changed(const NcpDevice* device, std::string args) {
    boost::asio::post(strand_, [self = shared_from_this(), device, args = std::move(args)] {
        if (device != self->device_.get() || self->state_ != State::Connected) {
            ++self->counters_.dropped_out;
            return;
        }
        // Opcode and uid, then the args; one byte spare for the terminator the MCU's library
        // writes after the value (ncp.md §4.3). Larger values are dropped, never cut.
        if (4 + args.size() + 1 > self->config_.max_frame) {
            ++self->counters_.dropped_out;
            proto::ncp::Reader pin(args);
            spdlog::warn(
                "ncp: {}: a write of {} bytes to V{} is larger than the MCU takes "
                "(frame={}): dropped",
                self->config_.path, args.size() - 4, pin.u16(), self->config_.max_frame);
            return;
        }
        self->send_oneway(uid::kClientVPinChange, args);
    });
}

void NcpPort::unsendable(const NcpDevice* device, uint8_t command) {
    boost::asio::post(strand_, [self = shared_from_this(), device, command] {
        if (device != self->device_.get()) return;
        ++self->counters_.dropped_out;
        spdlog::debug("ncp: {}: {} for the device has no NCP form: dropped", self->config_.path,
                      proto::command_name(command));
    });
}

// ---- writing ----

void NcpPort::send_oneway(uint16_t call_uid, std::string_view args) {
    std::string payload;
    proto::ncp::append_oneway(payload, call_uid, args);
    queue(payload);
}

void NcpPort::queue(const std::string& payload) {
    if (!port_.is_open()) return;
    if (!proto::ncp::encode_frame(out_, payload, config_.max_frame)) {
        ++counters_.dropped_out;
        return;
    }
    ++counters_.frames_out;
    write_more();
}

void NcpPort::write_more() {
    if (writing_ || switching_rate_ || out_.empty() || !port_.is_open()) return;
    writing_ = true;
    out_writing_.swap(out_);
    out_.clear();
    boost::asio::async_write(
        port_, boost::asio::buffer(out_writing_),
        boost::asio::bind_executor(
            strand_, [self = shared_from_this()](boost::system::error_code ec, size_t) {
                self->on_written(ec);
            }));
}

void NcpPort::on_written(const boost::system::error_code& ec) {
    writing_ = false;
    const size_t written = out_writing_.size();
    out_writing_.clear();
    if (ec) {
        if (port_.is_open()) link_lost("write failed: " + ec.message());
        return;
    }
    // A new rate applies once the answer that granted it has left the wire (ncp.md §3.2).
    if (pending_rate_ && out_.empty()) return switch_rate(written);
    write_more();
}

void NcpPort::switch_rate(size_t just_written) {
    switching_rate_ = true;
    // The write completing means the bytes are queued in the tty; they take 10 bits each.
    const auto on_the_wire =
        std::chrono::microseconds(just_written * 10 * 1'000'000 / std::max<uint32_t>(rate_, 1)) +
        std::chrono::milliseconds(2);
    rate_timer_.expires_after(on_the_wire);
    rate_timer_.async_wait(boost::asio::bind_executor(
        strand_, [self = shared_from_this()](boost::system::error_code ec) {
            self->switching_rate_ = false;
            if (ec || !self->port_.is_open() || !self->pending_rate_) return;
            ::tcdrain(self->port_.native_handle());  // done by now: returns at once
            const uint32_t baud = *self->pending_rate_;
            self->pending_rate_.reset();
            boost::system::error_code error;
            if (self->apply_rate(baud, error)) {
                spdlog::info("ncp: {}: now at {} baud", self->config_.path, baud);
            } else {
                spdlog::error("ncp: {}: cannot switch to {} baud: {}", self->config_.path, baud,
                              error.message());
            }
            self->write_more();
        }));
}

// ---- heartbeat ----

void NcpPort::heartbeat() {
    heartbeat_timer_.expires_after(kPingInterval);
    heartbeat_timer_.async_wait(boost::asio::bind_executor(
        strand_, [self = shared_from_this()](boost::system::error_code ec) {
            if (ec) return;
            self->check_mcu();
            self->heartbeat();
        }));
}

void NcpPort::check_mcu() {
    // Only a device's session needs the MCU; a port waiting for `initialize` just waits.
    if (!device_ || Clock::now() - last_frame_ < kSilenceBeforePing) return;
    if (unanswered_pings_ >= kMaxUnansweredPings) {
        spdlog::warn(
            "ncp: {}: the MCU has not answered for {} s; its device is offline until it "
            "initialises again",
            config_.path,
            std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - last_frame_).count());
        end_session("the MCU stopped answering");
        unanswered_pings_ = 0;
        boost::system::error_code ec;
        apply_rate(config_.baud, ec);  // as a restarted co-processor would be
        return;
    }
    ++unanswered_pings_;
    std::string payload;
    proto::ncp::append_invoke(payload, uid::kMcuPing, next_call_id_++);
    queue(payload);
}

// ---- stopping ----

net::LiveConnections::Stage NcpPort::close_for_shutdown() {
    boost::system::error_code ec;
    if (port_.is_open()) {
        // Told so, a running MCU initialises again as soon as the server is back.
        std::string args, payload, frame;
        Writer(args).u8(proto::ncp::event::kNcpRebooting);
        proto::ncp::append_oneway(payload, uid::kClientProcessEvent, args);
        if (proto::ncp::encode_frame(frame, payload))
            boost::asio::write(port_, boost::asio::buffer(frame), ec);
        port_.close(ec);
    }
    retry_timer_.cancel();
    heartbeat_timer_.cancel();
    rate_timer_.cancel();
    end_session("server stopping");
    const auto& d = deframer_.counters();
    spdlog::info(
        "ncp: {}: closed; frames in {}, out {}, dropped in {} (bad CRC {}, oversized {}, "
        "junk bytes {}), dropped out {}",
        config_.path, counters_.frames_in, counters_.frames_out, counters_.dropped_in, d.bad_crc,
        d.oversized, d.junk_bytes, counters_.dropped_out);
    return net::LiveConnections::Stage::Session;
}

}  // namespace blynk::ncp
