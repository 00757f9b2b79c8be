#include "tests/support/ncp_mcu.hpp"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <span>
#include <stdexcept>

#include "common/proto/ncp_uids.hpp"
#include "common/proto/ncp_values.hpp"

namespace blynk::test {

using Clock = std::chrono::steady_clock;
namespace ncp = proto::ncp;

NcpMcu::NcpMcu() {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0)
        throw std::runtime_error("cannot open a pseudo-terminal");
    // Not inherited by the server the test starts: it would keep the link up after unplug().
    ::fcntl(master_, F_SETFD, FD_CLOEXEC);
    slave_path_ = ::ptsname(master_);
    slave_hold_ = ::open(slave_path_.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    // Raw on this side too, before the server opens the other: nothing echoed or translated.
    termios attributes{};
    ::tcgetattr(master_, &attributes);
    ::cfmakeraw(&attributes);
    ::tcsetattr(master_, TCSANOW, &attributes);
}

NcpMcu::~NcpMcu() {
    if (master_ >= 0) ::close(master_);
    if (slave_hold_ >= 0) ::close(slave_hold_);
}

void NcpMcu::unplug() {
    if (master_ >= 0) ::close(master_);
    master_ = -1;
}

void NcpMcu::send_raw(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(master_, bytes.data(), bytes.size());
        if (n <= 0) throw std::runtime_error("writing to the pseudo-terminal failed");
        bytes.remove_prefix(static_cast<size_t>(n));
    }
}

void NcpMcu::send_payload(const std::string& payload) {
    std::string frame;
    if (!ncp::encode_frame(frame, payload)) throw std::runtime_error("payload not framed");
    send_raw(frame);
}

void NcpMcu::oneway(uint16_t uid, std::string_view args) {
    std::string payload;
    ncp::append_oneway(payload, uid, args);
    send_payload(payload);
}

void NcpMcu::answer(uint16_t msg_id, uint8_t status, std::string_view rets) {
    std::string payload;
    ncp::append_result(payload, msg_id, status, rets);
    send_payload(payload);
}

bool NcpMcu::read_some(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{master_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    uint8_t buffer[4096];
    const ssize_t n = ::read(master_, buffer, sizeof buffer);
    if (n <= 0) return false;
    std::span<const uint8_t> in(buffer, static_cast<size_t>(n));
    while (auto payload = deframer_.next(in)) {
        auto message = ncp::parse_message(*payload);
        if (!message) continue;
        kept_.push_back(Received{message->kind, message->uid, message->msg_id, message->status,
                                 std::string(message->data)});
    }
    return true;
}

std::optional<NcpMcu::Received> NcpMcu::find(bool (*match)(const Received&, uint16_t), uint16_t key,
                                             Duration timeout) {
    const auto deadline = Clock::now() + timeout;
    size_t checked = 0;
    for (;;) {
        for (; checked < kept_.size(); ++checked) {
            if (match(kept_[checked], key)) {
                Received found = std::move(kept_[checked]);
                kept_.erase(kept_.begin() + static_cast<std::ptrdiff_t>(checked));
                return found;
            }
        }
        if (Clock::now() >= deadline) return std::nullopt;
        read_some(deadline);
    }
}

std::optional<NcpMcu::Received> NcpMcu::call(uint16_t uid, std::string_view args,
                                             Duration timeout) {
    const uint16_t id = next_id_++;
    std::string payload;
    ncp::append_invoke(payload, uid, id, args);
    send_payload(payload);
    return find(
        [](const Received& r, uint16_t key) {
            return r.kind == ncp::Message::Kind::Result && r.msg_id == key;
        },
        id, timeout);
}

std::optional<std::string> NcpMcu::expect_oneway(uint16_t uid, Duration timeout) {
    auto found =
        find([](const Received& r,
                uint16_t key) { return r.kind == ncp::Message::Kind::Oneway && r.uid == key; },
             uid, timeout);
    if (!found) return std::nullopt;
    return std::move(found->data);
}

std::optional<NcpMcu::Received> NcpMcu::expect_invoke(uint16_t uid, Duration timeout) {
    return find([](const Received& r,
                   uint16_t key) { return r.kind == ncp::Message::Kind::Invoke && r.uid == key; },
                uid, timeout);
}

bool NcpMcu::expect_silence(Duration timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline && kept_.empty())
        read_some(deadline);
    return kept_.empty();
}

bool NcpMcu::start_up(std::string_view template_id, std::string_view template_name) {
    auto ok_bool = [](const std::optional<Received>& r) {
        return r && r->status == ncp::status::kOk && r->data == std::string(1, '\1');
    };
    auto ping = call(ncp::uid::kNcpPing);
    if (!ping || ping->status != ncp::status::kOk || !ping->data.empty()) return false;
    std::string baud;
    ncp::Writer(baud).u32(115200);
    if (!ok_bool(call(ncp::uid::kHwSetUartBaudRate, baud))) return false;
    auto version = call(ncp::uid::kGetNcpVersion);
    if (!version || version->status != ncp::status::kOk) return false;
    std::string info;
    ncp::Writer(info).string("Arduino").string("0.1.0").string("Dec  7 2026").string("1.4.0");
    if (!ok_bool(call(ncp::uid::kSetFirmwareInfo, info))) return false;
    std::string names;
    ncp::Writer(names).string(template_id).string(template_name);
    return ok_bool(call(ncp::uid::kInitialize, names, Duration(5000)));
}

}  // namespace blynk::test
