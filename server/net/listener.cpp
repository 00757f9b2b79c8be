#include "server/net/listener.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <boost/asio/ip/v6_only.hpp>

namespace blynk::net {

using boost::asio::ip::tcp;

Listener::Listener(boost::asio::io_context& io, const tcp::endpoint& endpoint, std::string name,
                   Handler handler)
    : acceptor_(io), retry_timer_(io), name_(std::move(name)), handler_(std::move(handler)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(Acceptor::reuse_address(true));
    if (endpoint.address().is_v6()) acceptor_.set_option(boost::asio::ip::v6_only(false));
    acceptor_.bind(endpoint);
    acceptor_.listen(Acceptor::max_listen_connections);
}

void Listener::start() {
    accept_next();
}

void Listener::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
}

tcp::endpoint Listener::local_endpoint() const {
    return acceptor_.local_endpoint();
}

void Listener::accept_next() {
    acceptor_.async_accept(
        [self = shared_from_this()](boost::system::error_code ec, Socket socket) {
            if (ec == boost::asio::error::operation_aborted || !self->acceptor_.is_open()) return;
            if (ec) return self->pause_after(ec);
            if (self->failures_ > 0) {
                spdlog::info("{}: accepting again after {} failed accept(s)", self->name_,
                             self->failures_);
                self->failures_ = 0;
                self->pause_ = kFirstPause;
            }
            boost::system::error_code opt_ec;
            socket.set_option(tcp::no_delay(true), opt_ec);
            self->handler_(std::move(socket));
            self->accept_next();
        });
}

void Listener::pause_after(boost::system::error_code ec) {
    // Out of file descriptors (EMFILE, ENFILE) or kernel memory: the connection stays queued in
    // the kernel. Accepting again at once would fail again at once; the pause grows while the
    // failures go on, and the sessions already open are served meanwhile.
    ++failures_;
    if (auto held_back = log_throttle_.admit()) {
        spdlog::error(
            "{}: accept failed: {}; pausing accepts for {} ms ({} more failure(s) not "
            "logged since the last report)",
            name_, ec.message(), pause_.count(), *held_back);
    }
    retry_timer_.expires_after(pause_);
    pause_ = std::min(pause_ * 2, kLongestPause);
    retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
        if (!wait_ec) self->accept_next();
    });
}

}  // namespace blynk::net
