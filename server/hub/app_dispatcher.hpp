#pragma once
// The one gate every app frame passes (mobile app and /dashws): quota, then login state, then the
// handler for its command. Before login only GET_SERVER, REGISTER, LOGIN and SHARE_LOGIN are
// served; anything else closes the connection, as the Java server did. A shared session (logged
// in with a dashboard's share token) gets a smaller set of commands.

#include "common/proto/codec.hpp"
#include "server/hub/app_connection.hpp"
#include "server/hub/app_context.hpp"
#include "server/hub/quota.hpp"

namespace blynk::hub {

class AppDispatcher {
public:
    explicit AppDispatcher(AppContext& context) : context_(context) {}

    /// Handles one decoded frame, read at `received`. Runs on the connection's current strand
    /// (the user's strand once logged in).
    void on_frame(AppConnection& conn, const proto::FrameView& frame,
                  QuotaMeter::Clock::time_point received);

private:
    void logged_in_frame(AppConnection& conn, const proto::FrameView& frame);
    void shared_frame(AppConnection& conn, const proto::FrameView& frame);

    AppContext& context_;
};

}  // namespace blynk::hub
