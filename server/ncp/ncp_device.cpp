#include "server/ncp/ncp_device.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "common/proto/command.hpp"
#include "common/proto/ncp_blynk.hpp"
#include "common/proto/status.hpp"
#include "server/hub/traffic.hpp"
#include "server/ncp/ncp_port.hpp"

namespace blynk::ncp {

NcpDevice::NcpDevice(std::shared_ptr<NcpPort> port, hub::Dispatcher& dispatcher,
                     const hub::HardwareOptions& options, hub::UserExecutor strand,
                     std::string path)
    : port_(std::move(port)),
      dispatcher_(dispatcher),
      conn_(*this, options),
      path_(std::move(path)),
      strand_(std::move(strand)) {}

hub::UserExecutor NcpDevice::strand() const {
    std::lock_guard lock(strand_mutex_);
    return strand_;
}

void NcpDevice::post(std::function<void()> fn) {
    boost::asio::post(strand(), [self = shared_from_this(), fn = std::move(fn)] { fn(); });
}

void NcpDevice::start(std::string token, std::string info) {
    post([this, token = std::move(token), info = std::move(info)] {
        info_ = info;
        login_id_ = next_id_;
        dispatch(proto::cmd::kHardwareLogin, token);
    });
}

void NcpDevice::deliver(uint8_t command, std::string body) {
    post([this, command, body = std::move(body)] { dispatch(command, body); });
}

void NcpDevice::end(std::string reason) {
    post([this, reason = std::move(reason)] { teardown(reason); });
}

void NcpDevice::dispatch(uint8_t command, std::string_view body) {
    if (ended_) return;
    if (paused_) {
        held_.emplace_back(command, std::string(body));
        return;
    }
    const uint16_t id = next_id_++;
    if (next_id_ == 0) next_id_ = 1;
    dispatcher_.on_frame(conn_, proto::FrameView{command, id, 0, body},
                         hub::QuotaMeter::Clock::now());
}

void NcpDevice::resume_reading() {
    post([this] {
        paused_ = false;
        while (!held_.empty() && !paused_ && !ended_) {
            auto [command, body] = std::move(held_.front());
            held_.pop_front();
            dispatch(command, body);
        }
    });
}

void NcpDevice::rebind(hub::UserExecutor executor, std::function<void()> then) {
    {
        std::lock_guard lock(strand_mutex_);
        strand_ = executor;
    }
    boost::asio::post(executor, [self = shared_from_this(), then = std::move(then)] {
        if (!self->ended_) then();
    });
}

void NcpDevice::logged_in(std::string identity) {
    identity_ = std::move(identity);
}

std::string NcpDevice::repr() const {
    return fmt::format("hardware ncp {}{}{}", path_, identity_.empty() ? "" : " ", identity_);
}

void NcpDevice::send(uint8_t command, uint16_t, std::string_view body) {
    if (ended_) return;
    // Only virtual pin writes have an NCP form (client.blynkVPinChange); pin modes, digital and
    // analog writes and reads have none (ncp.md §4.3). Only what goes to the MCU counts as sent.
    if (auto args = proto::ncp::vpin_change_args(command, body)) {
        hub::count_sent(hub::Traffic::Hardware, command);
        port_->pin_changed(this, std::move(*args));
    } else {
        port_->unsendable(this, command);
    }
}

void NcpDevice::send_response(uint16_t id, uint16_t status) {
    // Responses never reach the MCU (its calls are one-way): not counted as sent.
    if (ended_) return;
    if (id != login_id_ || login_id_ == 0) return;  // the MCU's calls were one-way
    login_id_ = 0;
    if (status != proto::status::kOk) {
        port_->login_refused(this, status);
        return;
    }
    port_->device_online(this);
    // After the login's own handler has returned: as a board's library, right after its login.
    post([this] { dispatch(proto::cmd::kInternal, info_); });
}

void NcpDevice::close(std::string_view reason) {
    if (ended_) return;
    port_->device_closed(this, std::string(reason));
    // Leaving the hub is posted: close() may be called from a loop over the user's connections.
    end(std::string(reason));
}

void NcpDevice::teardown(std::string_view reason) {
    if (ended_) return;
    ended_ = true;
    const bool logged_in = conn_.logged_in();
    conn_.on_closed();
    if (logged_in) spdlog::info("disconnect: {}: {}", repr(), reason);
}

}  // namespace blynk::ncp
