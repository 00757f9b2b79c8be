#pragma once
// Accepts TCP connections on one address and hands each socket on. Accept errors (out of file
// descriptors, ...) pause accepting (longer while they go on) instead of stopping the listener;
// they are logged at most once per kLogInterval, with the count of those not logged.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "common/util/log_throttle.hpp"
#include "server/net/socket.hpp"

namespace blynk::net {

class Listener : public std::enable_shared_from_this<Listener> {
public:
    using Handler = std::function<void(Socket)>;

    /// Binds and listens; throws boost::system::system_error when the address cannot be used.
    Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
             std::string name, Handler handler);

    void start();
    void stop();
    /// The bound endpoint (the real port when 0 was asked for).
    boost::asio::ip::tcp::endpoint local_endpoint() const;

    static constexpr std::chrono::seconds kLogInterval{10};

private:
    static constexpr std::chrono::milliseconds kFirstPause{50};
    static constexpr std::chrono::milliseconds kLongestPause{1000};

    void accept_next();
    void pause_after(boost::system::error_code ec);

    Acceptor acceptor_;
    boost::asio::steady_timer retry_timer_;
    std::string name_;
    Handler handler_;
    util::LogThrottle log_throttle_{kLogInterval};
    std::chrono::milliseconds pause_ = kFirstPause;
    uint64_t failures_ = 0;  ///< accept failures since the last success
};

}  // namespace blynk::net
