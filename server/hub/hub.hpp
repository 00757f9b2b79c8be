#pragma once
// The hub: every user's state and the token index. The index is the only shared structure
// (read at login, written on provisioning) and has its own lock; per-user state lives on the
// user's strand.

#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "server/hub/user_state.hpp"

namespace blynk::hub {

struct TokenTarget {
    std::shared_ptr<UserState> user;
    DeviceRef device;
};

class Hub {
public:
    Hub(boost::asio::io_context& io, Persistence& persistence);

    /// Loads users at start-up (before any session exists).
    void load(std::vector<model::User> users);

    /// The user and device a token belongs to; thread-safe.
    std::optional<TokenTarget> find_token(const std::string& token) const;

    /// A device was provisioned while running (CLI): it can log in from now on. Thread-safe.
    void device_added(const std::string& email, int dash_id, model::Device device);
    /// A token was replaced: the old one stops working and its sessions are closed. Thread-safe.
    void token_refreshed(const std::string& old_token, const std::string& new_token);

    /// Runs `fn(user)` on the user's strand; false when the user is unknown. Thread-safe.
    bool post_to_user(const std::string& email, std::function<void(UserState&)> fn);

    /// Hands every user's changed pins to persistence, each on its own strand. Thread-safe;
    /// the app calls it periodically.
    void collect_pins();
    /// The same, synchronously: only once the I/O threads have stopped (shutdown).
    void flush_pins_now();

    size_t user_count() const;
    size_t device_count() const;

private:
    std::shared_ptr<UserState> user_locked(const std::string& email);

    boost::asio::io_context& io_;
    Persistence& persistence_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<UserState>> users_;
    std::unordered_map<std::string, TokenTarget> tokens_;
    DirtyUsers dirty_users_;
};

}  // namespace blynk::hub
