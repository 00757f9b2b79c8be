#include "server/ncp/ncp_port.hpp"

#include <termios.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
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
using proto::ncp::Message;
using proto::ncp::Reader;
using proto::ncp::Writer;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kMaxRetryDelay{30};

/// The co-processor's calls answered here: what ncp.hasUID says yes to. The switch in answer()
/// handles exactly these.
constexpr std::array kAnswered = {
    uid::kNcpPing,           uid::kNcpReboot,        uid::kNcpHasUid,
    uid::kHwSetUartBaudRate, uid::kHwInitUserButton, uid::kHwInitLed,
    uid::kHwInitRgb,         uid::kHwInitArgb,       uid::kHwSetLedBrightness,
    uid::kHwGetWifiMac,      uid::kHwGetEthernetMac, uid::kInitialize,
    uid::kSetVendorPrefix,   uid::kSetVendorServer,  uid::kSetFirmwareInfo,
    uid::kGetNcpVersion,     uid::kGetState,         uid::kGetHotspotName,
    uid::kConfigStart,       uid::kConfigStop,       uid::kConfigReset,
    uid::kIsConfigured,      uid::kSetConfigTimeout, uid::kSetConfigSkipLimit,
    uid::kSetTime,           uid::kGetTime,          uid::kGetLocationInfo};

bool answered(uint16_t id) {
    return std::find(kAnswered.begin(), kAnswered.end(), id) != kAnswered.end();
}

/// getTime's rets from the host's clock and zone: ISO 8601 local time, UTC ms, the offset in
/// minutes, the zone's abbreviation, DST (2 on, 3 off, 1 unknown), true.
void write_local_time(Writer& w) {
    const auto now = std::chrono::system_clock::now();
    const int64_t ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &local);
    const long offset = local.tm_gmtoff;
    w.string(fmt::format("{}{}{:02}:{:02}", text, offset < 0 ? '-' : '+', std::labs(offset) / 3600,
                         std::labs(offset) % 3600 / 60))
        .i64(ms)
        .i16(static_cast<int16_t>(offset / 60))
        .string(local.tm_zone ? local.tm_zone : "")
        .u8(local.tm_isdst > 0    ? 2
            : local.tm_isdst == 0 ? 3
                                  : 1)
        .boolean(true);
}

void append_field(std::string& body, std::string_view key, std::string_view value) {
    if (value.empty()) return;
    if (!body.empty()) body.push_back('\0');
    body.append(key);
    body.push_back('\0');
    body.append(value.substr(0, value.find('\0')));
}

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

// ---- what the MCU calls ----

void NcpPort::handle(std::string_view payload) {
    const auto message = proto::ncp::parse_message(payload);
    if (!message) {
        ++counters_.dropped_in;
        return;
    }
    switch (message->kind) {
        case Message::Kind::Invoke:
            return answer(*message);
        case Message::Kind::Oneway:
            return on_oneway(*message);
        case Message::Kind::Result:  // our mcu.ping: the frame itself showed the MCU is there
            return;
        case Message::Kind::Unknown:
            ++counters_.dropped_in;
            return;
    }
}

void NcpPort::answer(const Message& call) {
    Reader args(call.data);
    std::string rets;
    Writer w(rets);
    uint8_t status = proto::ncp::status::kOk;
    bool rebooted = false;
    std::optional<std::pair<std::string, std::string>> initialize;
    switch (call.uid) {
        case uid::kNcpPing:
            break;
        case uid::kNcpReboot:
            w.boolean(true);
            rebooted = true;
            break;
        case uid::kNcpHasUid:
            w.boolean(answered(args.u16()));
            break;
        case uid::kHwSetUartBaudRate: {
            const uint32_t baud = args.u32();
            // The MCU's libraries give up on a refusal: refuse only what the tty cannot do.
            const bool supported = args.ok() && config::serial_baud_supported(baud);
            if (supported) {
                pending_rate_ = baud;
            } else {
                spdlog::error(
                    "ncp: {}: the MCU asked for {} baud, which this serial port cannot "
                    "run at; refused",
                    config_.path, baud);
            }
            w.boolean(supported);
            break;
        }
        case uid::kHwInitUserButton:
        case uid::kHwInitLed:
        case uid::kHwInitRgb:
        case uid::kHwInitArgb:
        case uid::kHwSetLedBrightness:
            w.boolean(false);  // no button or status LED here; the callers go on without
            break;
        case uid::kHwGetWifiMac:
        case uid::kHwGetEthernetMac:
        case uid::kGetHotspotName:
            w.string("").boolean(false);
            break;
        case uid::kInitialize: {
            std::string id(args.string()), name(args.string());
            initialize.emplace(std::move(id), std::move(name));
            w.boolean(true);
            break;
        }
        case uid::kSetVendorPrefix:
        case uid::kSetVendorServer:
            args.string();  // this server is the server
            w.boolean(true);
            break;
        case uid::kSetFirmwareInfo: {
            const auto type = args.string(), version = args.string(), build = args.string(),
                       blynk = args.string();
            firmware_info_.clear();
            append_field(firmware_info_, "ver", blynk);
            append_field(firmware_info_, "fw", version);
            append_field(firmware_info_, "dev", type);
            append_field(firmware_info_, "build", build);
            w.boolean(true);
            break;
        }
        case uid::kGetNcpVersion:
            w.string("blynkd " BLYNKD_VERSION).boolean(true);
            break;
        case uid::kGetState:
            w.u8(state_code());
            break;
        case uid::kConfigStart:
        case uid::kConfigStop:
        case uid::kConfigReset:
            w.boolean(false);  // the port is bound to its device in ncp.ports
            break;
        case uid::kIsConfigured:
            w.boolean(true);
            break;
        case uid::kSetConfigTimeout:
            args.u16();
            w.boolean(true);
            break;
        case uid::kSetConfigSkipLimit:
            args.u8();
            w.boolean(true);
            break;
        case uid::kSetTime:
            args.i64();  // the host's clock wins
            w.boolean(true);
            break;
        case uid::kGetTime:
            write_local_time(w);
            break;
        case uid::kGetLocationInfo:
            w.string("").string("").string("").string("").boolean(false);
            break;
        default:
            status = proto::ncp::status::kUnknownUid;
            break;
    }
    if (status == proto::ncp::status::kOk && !args.ok()) {
        status = proto::ncp::status::kArgsReadFailed;
        initialize.reset();
        pending_rate_.reset();
        rebooted = false;
    }
    std::string payload;
    proto::ncp::append_result(payload, call.msg_id, status,
                              status == proto::ncp::status::kOk ? rets : std::string());
    queue(payload);
    if (initialize) begin_session(initialize->first, initialize->second);
    if (rebooted) {
        spdlog::info("ncp: {}: the MCU restarted the co-processor", config_.path);
        end_session("the MCU restarted the co-processor");
        pending_rate_ = config_.baud;  // a restarted co-processor is back at the first rate
    }
}

void NcpPort::on_oneway(const Message& call) {
    if (state_ != State::Connected || !device_) {
        ++counters_.dropped_in;
        spdlog::debug("ncp: {}: call {:#06x} before the device is online: dropped", config_.path,
                      call.uid);
        return;
    }
    Reader args(call.data);
    uint8_t command = 0;
    std::string body;
    auto field = [&body](std::string_view value) {
        if (!body.empty()) body.push_back('\0');
        body.append(value);
    };
    switch (call.uid) {
        case uid::kVirtualWrite: {
            const uint16_t pin = args.u16();
            const std::string_view value = args.binary();
            command = proto::cmd::kHardware;
            field("vw");
            field(std::to_string(pin));
            body.push_back('\0');
            body.append(value);
            break;
        }
        case uid::kSyncAll:
            command = proto::cmd::kHardwareSync;
            break;
        case uid::kSyncVirtual: {
            // The pins are decimal text separated by 00 (ncp.md §1.3): "vr" and the list.
            const std::string_view pins = args.binary();
            command = proto::cmd::kHardwareSync;
            field("vr");
            body.push_back('\0');
            body.append(pins);
            break;
        }
        case uid::kSetProperty: {
            const uint16_t pin = args.u16();
            const std::string_view name = args.string();
            const std::string_view value = args.binary();
            command = proto::cmd::kSetWidgetProperty;
            field(std::to_string(pin));
            field(name);
            body.push_back('\0');
            body.append(value);
            break;
        }
        case uid::kLogEvent: {
            const std::string_view code = args.string();
            const std::string_view description = args.string();
            command = proto::cmd::kEventLog;
            body.append(code);
            if (!description.empty()) field(description);
            break;
        }
        default:
            // Groups, event resolution, metadata: the legacy server has nothing to do with them.
            ++counters_.dropped_in;
            spdlog::debug("ncp: {}: call {:#06x} is not used by this server: dropped", config_.path,
                          call.uid);
            return;
    }
    if (!args.ok()) {
        ++counters_.dropped_in;
        spdlog::debug("ncp: {}: call {:#06x} with malformed arguments ({}): dropped", config_.path,
                      call.uid, proto::ncp::describe(args.error()));
        return;
    }
    device_->deliver(command, std::move(body));
}

// ---- the device's session ----

void NcpPort::begin_session(std::string_view template_id, std::string_view template_name) {
    if (device_) end_session("the MCU initialised again");
    state_ = State::LoggingIn;
    std::string info = firmware_info_;
    append_field(info, "tmpl", template_id);
    append_field(info, "con", "ncp");
    // The hub forwards bodies up to buff-in - 5 bytes: every body whose value could fit a frame
    // passes, and the port drops (and logs) what does not fit exactly.
    append_field(info, "buff-in", std::to_string(config_.max_frame + 5));
    spdlog::info("ncp: {}: the MCU initialised (template {:?}, {:?}); logging in", config_.path,
                 template_id, template_name);
    device_ = std::make_shared<NcpDevice>(shared_from_this(), dispatcher_, options_,
                                          boost::asio::make_strand(io_), config_.path);
    device_->start(config_.token, std::move(info));
}

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
        spdlog::warn(
            "ncp: {}: the device's session was closed ({}); the MCU is asked to "
            "initialise again",
            self->config_.path, reason);
        self->device_.reset();  // it leaves the hub by itself
        self->state_ = State::NotInitialized;
        std::string args;
        Writer(args).u8(proto::ncp::event::kNcpRebooting);
        self->send_oneway(uid::kClientProcessEvent, args);
    });
}

void NcpPort::pin_changed(const NcpDevice* device, uint16_t pin, std::string value) {
    boost::asio::post(strand_, [self = shared_from_this(), device, pin, value = std::move(value)] {
        if (device != self->device_.get() || self->state_ != State::Connected) {
            ++self->counters_.dropped_out;
            return;
        }
        // opcode, uid, pin, length, value; one byte spare for the terminator the MCU's library
        // writes after the value (ncp.md §4.3). Larger values are dropped, never cut.
        if (8 + value.size() + 1 > self->config_.max_frame) {
            ++self->counters_.dropped_out;
            spdlog::warn(
                "ncp: {}: a write of {} bytes to V{} is larger than the MCU takes "
                "(frame={}): dropped",
                self->config_.path, value.size(), pin, self->config_.max_frame);
            return;
        }
        std::string args;
        Writer(args).u16(pin).binary(value);
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
