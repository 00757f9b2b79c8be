#pragma once
// The one gate every hardware frame passes: quota, then login state, then the handler for its
// command. The only place that decides what an unexpected frame does to a connection.

#include "common/proto/codec.hpp"
#include "server/hub/hardware_connection.hpp"
#include "server/hub/hub.hpp"
#include "server/hub/login_limiter.hpp"

namespace blynk::hub {

class Dispatcher {
public:
    Dispatcher(Hub& hub, TokenGuessLimiter& guesses) : hub_(hub), guesses_(guesses) {}

    /// Handles one decoded frame, read at `received` (one clock reading serves every frame of a
    /// read). Runs on the connection's current strand (the user's strand once logged in).
    void on_frame(HardwareConnection& conn, const proto::FrameView& frame,
                  QuotaMeter::Clock::time_point received);

private:
    void logged_in_frame(HardwareConnection& conn, const proto::FrameView& frame);

    Hub& hub_;
    TokenGuessLimiter& guesses_;
};

}  // namespace blynk::hub
