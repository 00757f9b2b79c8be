#include "server/hub/hub.hpp"

#include <map>
#include <mutex>

#include <boost/asio/post.hpp>

#include "common/util/clock.hpp"
#include "server/hub/automation.hpp"
#include "server/hub/operations.hpp"

namespace blynk::hub {

Hub::Hub(boost::asio::io_context& io, Persistence& persistence, Outbound& outbound)
    : io_(io), persistence_(persistence), outbound_(outbound) {}

std::shared_ptr<UserState> Hub::user_locked(const std::string& email) {
    auto& slot = users_[email];
    if (!slot) {
        slot = std::make_shared<UserState>(email, boost::asio::make_strand(io_.get_executor()),
                                           persistence_, outbound_, dirty_users_, history_all_pins_,
                                           notify_settings_);
    }
    return slot;
}

void Hub::load(std::vector<model::User> users) {
    std::unique_lock lock(mutex_);
    for (auto& user : users) {
        auto state = user_locked(user.email);
        state->set_password(std::move(user.password_hash), user.password_kind);
        state->set_admin(user.admin);
        for (auto& dash : user.dashboards) {
            auto devices = std::move(dash.devices);
            const int dash_id = dash.id;
            state->put_dashboard(std::move(dash));
            for (auto& device : devices) {
                DeviceRef ref{dash_id, device.id};
                tokens_[device.token] = TokenTarget{state, ref};
                state->put_device(dash_id, std::move(device));
            }
        }
    }
}

std::optional<TokenTarget> Hub::find_token(const std::string& token) const {
    std::shared_lock lock(mutex_);
    auto it = tokens_.find(token);
    if (it == tokens_.end()) return std::nullopt;
    return it->second;
}

std::shared_ptr<UserState> Hub::find_user(const std::string& email) const {
    std::shared_lock lock(mutex_);
    auto it = users_.find(email);
    return it == users_.end() ? nullptr : it->second;
}

std::shared_ptr<UserState> Hub::add_user(const std::string& email, std::string password_hash,
                                         model::PasswordKind kind, bool admin) {
    std::unique_lock lock(mutex_);
    if (users_.contains(email)) return nullptr;
    auto state = user_locked(email);
    // Nothing else knows the user yet: its state may be set from here.
    state->set_password(std::move(password_hash), kind);
    state->set_admin(admin);
    return state;
}

void Hub::remove_user(const std::string& email) {
    std::shared_ptr<UserState> user;
    {
        std::unique_lock lock(mutex_);
        auto it = users_.find(email);
        if (it == users_.end()) return;
        user = std::move(it->second);
        users_.erase(it);
        std::erase_if(tokens_, [&](const auto& t) { return t.second.user == user; });
    }
    boost::asio::post(user->executor(), [user] {
        std::vector<DeviceRef> devices;
        for (const auto& [ref, entry] : user->devices())
            devices.push_back(ref);
        for (DeviceRef ref : devices)
            user->remove_device(ref, "user deleted");  // closes its boards, drops unsaved values
        std::vector<int> dashboards;
        for (const auto& [id, dash] : user->dashboards())
            dashboards.push_back(id);
        for (int id : dashboards)
            user->remove_dashboard(id);
        for (AppConnection* app : user->apps())
            app->link.close("user deleted");
    });
}

void Hub::admin_changed(const std::string& email, bool admin) {
    post_to_user(email, [admin](UserState& user) { user.set_admin(admin); });
}

void Hub::index_token(const std::string& token, std::shared_ptr<UserState> user, DeviceRef ref) {
    std::unique_lock lock(mutex_);
    tokens_[token] = TokenTarget{std::move(user), ref};
}

void Hub::unindex_token(const std::string& token) {
    std::unique_lock lock(mutex_);
    tokens_.erase(token);
}

void Hub::device_removed(const std::string& token) {
    std::unique_lock lock(mutex_);
    auto it = tokens_.find(token);
    if (it == tokens_.end()) return;
    TokenTarget target = it->second;
    tokens_.erase(it);
    boost::asio::post(target.user->executor(),
                      [target] { target.user->remove_device(target.device, "device deleted"); });
}

void Hub::password_changed(const std::string& email, std::string password_hash,
                           model::PasswordKind kind, std::function<void()> applied) {
    auto user = find_user(email);
    if (!user) return applied();
    boost::asio::post(user->executor(), [user, hash = std::move(password_hash), kind,
                                         applied = std::move(applied)]() mutable {
        user->set_password(std::move(hash), kind);
        for (AppConnection* app : user->apps())
            app->link.close("password changed");
        applied();
    });
}

void Hub::device_added(const std::string& email, int dash_id, model::Device device) {
    // Posted under the lock: a login that finds the new token queues its own work on the
    // user's strand after this, so it always sees the device.
    std::unique_lock lock(mutex_);
    // The server's own provisioning (the app) is logged too, and already applied.
    if (tokens_.contains(device.token)) return;
    auto state = user_locked(email);
    tokens_[device.token] = TokenTarget{state, DeviceRef{dash_id, device.id}};
    boost::asio::post(state->executor(), [state, dash_id, device = std::move(device)]() mutable {
        state->put_device(dash_id, std::move(device));
    });
}

void Hub::token_refreshed(const std::string& old_token, const std::string& new_token) {
    std::unique_lock lock(mutex_);  // posted under the lock, as in device_added()
    auto it = tokens_.find(old_token);
    if (it == tokens_.end()) return;
    TokenTarget target = it->second;
    tokens_.erase(it);
    tokens_[new_token] = target;
    boost::asio::post(target.user->executor(), [target, new_token] {
        DeviceEntry* entry = target.user->find(target.device);
        if (!entry) return;
        entry->device.token = new_token;
        // close() only schedules the teardown, which detaches later on this strand.
        auto connections = entry->connections;
        for (HardwareConnection* c : connections)
            c->link.close("token refreshed");
    });
}

bool Hub::post_to_user(const std::string& email, std::function<void(UserState&)> fn) {
    std::shared_ptr<UserState> state;
    {
        std::shared_lock lock(mutex_);
        auto it = users_.find(email);
        if (it == users_.end()) return false;
        state = it->second;
    }
    boost::asio::post(state->executor(), [state, fn = std::move(fn)] { fn(*state); });
    return true;
}

void Hub::collect_pins() {
    for (auto& user : dirty_users_.take()) {
        boost::asio::post(user->executor(), [user] { user->flush_pins(); });
    }
}

void Hub::flush_pins_now() {
    for (auto& user : dirty_users_.take())
        user->flush_pins();
}

void Hub::poll_reading_widgets() {
    std::vector<std::shared_ptr<UserState>> watched;
    {
        std::shared_lock lock(mutex_);
        for (const auto& [email, user] : users_)
            if (user->app_count() > 0) watched.push_back(user);
    }
    const auto now = std::chrono::steady_clock::now();
    for (auto& user : watched)
        boost::asio::post(user->executor(), [user, now] { ops::poll_reading_widgets(*user, now); });
}

void Hub::load_automation_marks(std::vector<std::pair<std::string, model::AutomationMark>> marks) {
    std::map<std::string, std::vector<model::AutomationMark>> by_user;
    for (auto& [email, mark] : marks)
        by_user[email].push_back(std::move(mark));
    for (auto& [email, list] : by_user)
        if (auto user = find_user(email)) ops::load_automation_marks(*user, std::move(list));
}

void Hub::run_schedules() {
    std::vector<std::shared_ptr<UserState>> scheduled;
    {
        std::shared_lock lock(mutex_);
        for (const auto& [email, user] : users_)
            if (user->has_schedules()) scheduled.push_back(user);
    }
    const int64_t now = util::now_ms();
    for (auto& user : scheduled)
        boost::asio::post(user->executor(), [user, now] { ops::run_schedules(*user, now); });
}

std::vector<std::shared_ptr<UserState>> Hub::all_users() const {
    std::shared_lock lock(mutex_);
    std::vector<std::shared_ptr<UserState>> users;
    users.reserve(users_.size());
    for (const auto& [email, user] : users_)
        users.push_back(user);
    return users;
}

size_t Hub::user_count() const {
    std::shared_lock lock(mutex_);
    return users_.size();
}

size_t Hub::device_count() const {
    std::shared_lock lock(mutex_);
    return tokens_.size();
}

}  // namespace blynk::hub
