#include <array>
#include <charconv>

#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "server/hub/handlers.hpp"
#include "server/hub/operations.hpp"

namespace blynk::hub::handlers {
namespace {

// Keys that mark an INTERNAL body as the device's info message. The Java server looked only at
// the first letter, which misses 1.x libraries that start with "mcu"; any known key counts here.
constexpr std::array<std::string_view, 13> kInfoKeys = {
    "ver",  "fw",   "h-beat", "buff-in", "dev",   "cpu",    "con",
    "conn", "tmpl", "build",  "mcu",     "blynk", "fw-type"};

bool is_info_key(std::string_view key) {
    for (auto k : kInfoKeys)
        if (k == key) return true;
    return false;
}

int parse_positive(std::string_view s) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v <= 0) return 0;
    return v;
}

void apply_info(HardwareConnection& conn, const std::vector<std::string_view>& fields,
                uint16_t id) {
    model::HardwareInfo info;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        std::string_view key = fields[i], value = fields[i + 1];
        if (key == "ver" || key == "blynk")
            info.version = value;
        else if (key == "fw" || key == "mcu")
            info.firmware = value;
        else if (key == "dev")
            info.board = value;
        else if (key == "cpu")
            info.cpu = value;
        else if (key == "con")
            info.connection = value;
        else if (key == "build")
            info.build = value;
        else if (key == "tmpl")
            info.template_id = value;
        else if (key == "h-beat")
            info.heartbeat = parse_positive(value);
        else if (key == "buff-in")
            info.buff_in = parse_positive(value);
    }
    // A relay is forwarded only if body + 5 <= buff-in; an info without buff-in means 250 total.
    const size_t buff_in = info.buff_in > 0 ? static_cast<size_t>(info.buff_in) : 250;
    conn.max_forward_body = static_cast<uint32_t>(buff_in > 5 ? buff_in - 5 : 0);
    if (info.heartbeat > 0 && conn.options.idle_timeout_setting > 0) {
        conn.link.set_idle_timeout(std::chrono::seconds(
            idle_timeout_for_heartbeat(static_cast<uint32_t>(info.heartbeat))));
    }
    spdlog::debug("device info: ver={:?} dev={:?} h-beat={} buff-in={} ({})",
                  std::string_view(info.version), std::string_view(info.board), info.heartbeat,
                  info.buff_in, conn.link.repr());
    if (DeviceEntry* entry = conn.user->find(conn.device)) entry->info = std::move(info);
    conn.link.send_response(id, proto::status::kOk);
}

}  // namespace

void internal(HardwareConnection& conn, const proto::FrameView& frame) {
    auto fields = proto::split_all(frame.body);
    if (fields.empty()) {
        conn.link.send_response(frame.id, proto::status::kIllegalCommand);
        return;
    }
    if (fields[0] == "rtc") {
        std::string reply = "rtc";
        reply.push_back('\0');
        reply.append(std::to_string(ops::rtc_seconds(*conn.user, conn.device)));
        conn.link.send(proto::cmd::kInternal, frame.id, reply);
        return;
    }
    if (is_info_key(fields[0])) {
        apply_info(conn, fields, frame.id);
        return;
    }
    // acon/adis/ota echoes and 1.x requests (utc, meta, vfs, dbg) are not served: no reply, as
    // the Java server; the libraries do not wait for one.
    spdlog::debug("INTERNAL {:?} ignored ({})", fields[0], conn.link.repr());
}

}  // namespace blynk::hub::handlers
