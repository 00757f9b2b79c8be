#include "server/hub/hardware_connection.hpp"

#include "server/hub/user_state.hpp"

namespace blynk::hub {

void HardwareConnection::on_closed() {
    if (state == State::LoggedIn && user) user->detach(device, *this);
    state = State::Connected;
    user.reset();
    bridges.reset();
}

uint32_t idle_timeout_for_heartbeat(uint32_t heartbeat_seconds) {
    // Integer form of ceil(2.3 * n), exact for every n.
    return static_cast<uint32_t>((static_cast<uint64_t>(heartbeat_seconds) * 23 + 9) / 10);
}

}  // namespace blynk::hub
