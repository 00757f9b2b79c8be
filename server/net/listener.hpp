#pragma once
// Accepts TCP connections on one address and hands each socket on. Accept errors (out of file
// descriptors, ...) are logged and retried after a pause instead of stopping the listener.

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

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

private:
    void accept_next();

    Acceptor acceptor_;
    boost::asio::steady_timer retry_timer_;
    std::string name_;
    Handler handler_;
};

}  // namespace blynk::net
