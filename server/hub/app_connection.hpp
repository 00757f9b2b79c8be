#pragma once
// The protocol state of one app connection (mobile app on TCP/TLS, browser on /dashws): login
// state, quota, the user it belongs to. Owned by the session (transport); read and changed only by
// the app dispatcher and its handlers.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "server/hub/peer.hpp"
#include "server/hub/quota.hpp"
#include "server/hub/session_identity.hpp"
#include "server/model/user.hpp"

namespace blynk::hub {

class UserState;

struct AppOptions {
    uint32_t quota_per_second = 100;          ///< user.message.quota.limit
    std::chrono::seconds idle_timeout{600};   ///< app.socket.idle.timeout (0 = off)
    bool allow_registration = true;           ///< allow.registration
    uint32_t dashboards_limit = 100;          ///< user.dashboard.max.limit
    uint32_t devices_limit = 50;              ///< user.devices.limit (per dashboard)
    uint32_t widget_max_bytes = 20 * 1024;    ///< user.widget.max.size.limit
    uint32_t profile_max_bytes = 256 * 1024;  ///< user.profile.max.size (a dashboard's JSON)
    std::string server_host;  ///< GET_SERVER's answer; empty = the address the app reached
    std::string
        public_url;  ///< base of links in mails, e.g. "https://host:9443" (no '/' at the end)
};

class AppConnection {
public:
    enum class State : uint8_t { Connected, LoggingIn, LoggedIn };

    AppConnection(SessionLink& link, const AppOptions& options)
        : link(link), options(options), quota(options.quota_per_second) {}

    SessionLink& link;
    const AppOptions& options;
    const SessionIdentity identity;
    State state = State::Connected;
    std::shared_ptr<UserState> user;  ///< set once logged in
    QuotaMeter quota;
    std::string os;           ///< "android", "ios", ... from LOGIN (files push tokens)
    bool registered = false;  ///< this connection already registered an account
    /// Set for a SHARE_LOGIN session: the one dashboard of the owner's it sees and controls.
    std::optional<int> shared_dash;
    /// A /dashws session whose upgrade request carried a valid web console cookie: the user it
    /// is signed in as. LOGIN of that e-mail with the secret "session" needs no password.
    std::string web_user;

    bool logged_in() const { return state == State::LoggedIn; }
    /// Whether this session hears of and may act on dashboard `dash_id` (the owner's sessions see
    /// every dashboard; a shared session only its own).
    bool sees(int dash_id) const { return !shared_dash || *shared_dash == dash_id; }
    /// The user's dashboard `id` as this session sees it: null when there is none or when it is
    /// not this shared session's. On the user's strand, once logged in.
    model::Dashboard* dashboard(int id) const;
    /// Leaves the user's state; must run on the user's strand. Idempotent.
    void on_closed();
};

}  // namespace blynk::hub
