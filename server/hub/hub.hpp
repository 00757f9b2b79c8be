#pragma once
// The hub: the user directory (every user's state, with or without devices) and the token index.
// Both maps are the only shared structures (read at login, written on provisioning) and have one
// lock; per-user state lives on the user's strand.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
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
    Hub(boost::asio::io_context& io, Persistence& persistence, Outbound& outbound);

    /// history.all.pins: every numeric pin value keeps history, not only charted pins.
    void set_history_all_pins(bool all) { history_all_pins_.store(all); }

    /// Loads users at start-up (before any session exists).
    void load(std::vector<model::User> users);

    /// The user and device a token belongs to; thread-safe.
    std::optional<TokenTarget> find_token(const std::string& token) const;

    /// A user of the directory by e-mail (already lower-cased), or null; thread-safe.
    std::shared_ptr<UserState> find_user(const std::string& email) const;
    /// Adds a user that was just stored (registration, CLI) with its password; returns null when
    /// the user exists already. Thread-safe.
    std::shared_ptr<UserState> add_user(const std::string& email, std::string password_hash,
                                        model::PasswordKind kind, bool admin);
    /// Token index updates for devices created, deleted or given a new token on the user's
    /// strand (the strand's state is changed by the caller). Thread-safe.
    void index_token(const std::string& token, std::shared_ptr<UserState> user, DeviceRef ref);
    void unindex_token(const std::string& token);

    /// A device was provisioned while running (CLI): it can log in from now on. Thread-safe.
    void device_added(const std::string& email, int dash_id, model::Device device);
    /// A token was replaced: the old one stops working and its sessions are closed. Thread-safe.
    void token_refreshed(const std::string& old_token, const std::string& new_token);
    /// A device was deleted by another process (CLI): its sessions are closed. Thread-safe.
    void device_removed(const std::string& token);
    /// A password was set by another process (CLI): app sessions of the user are closed.
    /// `applied` runs once the new hash is in place (on the user's strand; at once when the
    /// user is not loaded), so that what it does is not undone by a check of the old one.
    void password_changed(const std::string& email, std::string password_hash,
                          model::PasswordKind kind, std::function<void()> applied);

    /// A user was made an administrator or not by another process (CLI). Thread-safe.
    void admin_changed(const std::string& email, bool admin);
    /// A user was deleted (CLI or admin view): it leaves the directory, its tokens stop working
    /// and its boards and app sessions are closed. Thread-safe; nothing when unknown.
    void remove_user(const std::string& email);

    /// Runs `fn(user)` on the user's strand; false when the user is unknown. Thread-safe.
    bool post_to_user(const std::string& email, std::function<void(UserState&)> fn);

    /// Hands every user's changed pins to persistence, each on its own strand. Thread-safe;
    /// the app calls it periodically.
    void collect_pins();
    /// The same, synchronously: only once the I/O threads have stopped (shutdown).
    void flush_pins_now();
    /// Runs the reading-widget poller on the strand of every user with an app session online.
    /// Thread-safe; the app calls it every second.
    void poll_reading_widgets();

    /// What the automation handled last, per user (start-up, before any session exists).
    void load_automation_marks(std::vector<std::pair<std::string, model::AutomationMark>> marks);
    /// Runs the automation's scheduler on the strand of every user with schedules. Thread-safe;
    /// the app calls it every second.
    void run_schedules();

    /// The I/O context, for timers of the handlers (a delayed answer).
    boost::asio::io_context& io() { return io_; }

    /// Where lasting changes go (the storage worker in the server).
    Persistence& persistence() { return persistence_; }
    /// Where mail and HTTP calls go (the outbound worker in the server).
    Outbound& outbound() { return outbound_; }

    /// Notification settings: set at start-up, before any session exists.
    NotifySettings& notify_settings() { return notify_settings_; }

    /// Every user, at the time of the call (the admin view visits each on its strand).
    /// Thread-safe.
    std::vector<std::shared_ptr<UserState>> all_users() const;

    size_t user_count() const;
    size_t device_count() const;

private:
    std::shared_ptr<UserState> user_locked(const std::string& email);

    boost::asio::io_context& io_;
    Persistence& persistence_;
    Outbound& outbound_;
    NotifySettings notify_settings_;  // before users_: they refer to it
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<UserState>> users_;
    std::unordered_map<std::string, TokenTarget> tokens_;
    DirtyUsers dirty_users_;
    std::atomic<bool> history_all_pins_{false};
};

}  // namespace blynk::hub
