#include "server/hub/app_connection.hpp"

#include "server/hub/operations.hpp"
#include "server/hub/user_state.hpp"

namespace blynk::hub {

model::Dashboard* AppConnection::dashboard(int id) const {
    return sees(id) ? user->dashboard(id) : nullptr;
}

void AppConnection::on_closed() {
    if (state == State::LoggedIn && user) {
        user->detach_app(*this);
        if (user->apps().empty()) ops::announce_app_presence(*user, false);
    }
    // A password check still running finds the connection gone and does nothing.
    state = State::Connected;
    user.reset();
}

}  // namespace blynk::hub
