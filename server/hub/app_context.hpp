#pragma once
// What the app handlers (and the web console's sign-in) share: the hub, the login and
// registration limits, and the CPU pool that hashes passwords (PBKDF2 takes tens of
// milliseconds: never on an I/O thread).

#include <atomic>
#include <cstdint>
#include <functional>

#include <boost/asio/thread_pool.hpp>

#include "server/hub/hub.hpp"
#include "server/hub/login_limiter.hpp"

namespace blynk::hub {

struct AppContext {
    /// Password checks waiting for or running on the CPU pool beyond this are refused (a login
    /// flood from many addresses must not queue minutes of work).
    static constexpr uint32_t kMaxPendingHashes = 64;

    Hub& hub;
    LoginLimiter& logins;
    HourlyLimiter& registrations;
    boost::asio::thread_pool& cpu;
    std::atomic<uint32_t> pending_hashes{0};

    /// Runs `work` (a password hash or check) on the CPU pool, then `then(result)` on that pool
    /// thread; false, with nothing queued, when kMaxPendingHashes wait already.
    bool run_password_work(std::function<bool()> work, std::function<void(bool)> then);
};

}  // namespace blynk::hub
