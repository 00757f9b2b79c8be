// What the MCU calls on the port (ncp.md §2): the co-processor's own calls answered at once,
// the Blynk calls turned into hardware frames for the device, and the device's session begun
// by `initialize`.

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/proto/ncp_blynk.hpp"
#include "common/proto/ncp_uids.hpp"
#include "common/proto/ncp_values.hpp"
#include "server/ncp/ncp_device.hpp"
#include "server/ncp/ncp_port.hpp"

namespace blynk::ncp {
namespace {

namespace uid = proto::ncp::uid;
namespace state = proto::ncp::state;
using proto::ncp::Message;
using proto::ncp::Reader;
using proto::ncp::Writer;

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
    proto::ncp::Untranslated why{};
    auto frame = proto::ncp::board_frame_of(call.uid, call.data, why);
    if (!frame) {
        ++counters_.dropped_in;
        spdlog::debug("ncp: {}: call {:#06x} dropped: {}", config_.path, call.uid,
                      why == proto::ncp::Untranslated::NotUsed ? "not used by this server"
                                                               : "malformed arguments");
        return;
    }
    device_->deliver(frame->command, std::move(frame->body));
}

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

}  // namespace blynk::ncp
