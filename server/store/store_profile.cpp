// Store: what the mobile app keeps (passwords, dashboards with widgets, devices by id,
// push tokens) and the user list.

#include <set>
#include <string_view>

#include "common/util/token.hpp"
#include "server/store/statements.hpp"
#include "server/store/store.hpp"

namespace blynk::store {

namespace {

// The stored widgets column: "[" + each widget's json, joined with "," + "]". A widget whose
// json is not an object's text is left out: one malformed element would make the whole stored
// array unreadable at the next start.
std::string widgets_json(const std::vector<model::Widget>& widgets, std::string_view email,
                         int dash_id) {
    std::string out = "[";
    for (const model::Widget& w : widgets) {
        if (w.json.size() < 2 || w.json.front() != '{' || w.json.back() != '}') {
            store_log()->warn("dashboard {} of {}: widget {} has no JSON object; not stored",
                              dash_id, email, w.id);
            continue;
        }
        if (out.size() > 1) out += ',';
        out += w.json;
    }
    out += ']';
    return out;
}

// Binds user_email and id to ?1 and ?2 and the kDashboardFields to ?3 .. ?11.
void bind_dashboard(Statement& st, const std::string& email, const model::Dashboard& dash) {
    st.bind_text(1, email);
    st.bind_int(2, dash.id);
    st.bind_text(3, dash.name);
    st.bind_int(4, dash.updated_at_ms);
    st.bind_int(5, dash.active ? 1 : 0);
    st.bind_int(6, dash.app_connected_on ? 1 : 0);
    st.bind_int(7, dash.notifications_off ? 1 : 0);
    st.bind_int(8, dash.shared ? 1 : 0);
    st.bind_text(9, dash.share_token);
    st.bind_text(10, dash.settings);
    st.bind_text(11, widgets_json(dash.widgets, email, dash.id));
}

StoreError no_dashboard(int dash_id) {
    return StoreError("dashboard " + std::to_string(dash_id) + " does not exist");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Users

bool Store::set_password(const std::string& email, const std::string& password_hash,
                         model::PasswordKind kind) {
    Transaction tx(db_);
    {
        StatementScope st(st_->update_password);
        st->bind_text(1, email);
        st->bind_text(2, password_hash);
        st->bind_int(3, static_cast<int64_t>(kind));
        st->run();
        if (db_.changes() == 0) return false;
    }
    log_provision(kPasswordChanged, email, 0, 0, "", "");
    tx.commit();
    store_log()->info("password of {} changed", email);
    return true;
}

bool Store::set_admin(const std::string& email, bool admin) {
    Transaction tx(db_);
    {
        StatementScope st(st_->update_admin);
        st->bind_text(1, email);
        st->bind_int(2, admin ? 1 : 0);
        st->run();
        if (db_.changes() == 0) return false;
    }
    log_provision(kAdminChanged, email, 0, 0, "", "");
    tx.commit();
    store_log()->info("{} is {} an administrator", email, admin ? "now" : "no longer");
    return true;
}

bool Store::delete_user(const std::string& email) {
    Transaction tx(db_);
    {
        // The foreign keys' ON DELETE CASCADE removes everything the account holds.
        StatementScope st(st_->delete_user);
        st->bind_text(1, email);
        st->run();
        if (db_.changes() == 0) return false;
    }
    log_provision(kUserDeleted, email, 0, 0, "", "");
    tx.commit();
    store_log()->info("user {} deleted", email);
    return true;
}

std::vector<UserSummary> Store::list_users() {
    std::vector<UserSummary> users;
    StatementScope st(st_->user_summaries);
    while (st->step()) {
        UserSummary u;
        u.email = st->column_text(0);
        u.password_kind = static_cast<model::PasswordKind>(st->column_int(1));
        u.created_at_ms = st->column_int64(2);
        u.admin = st->column_int(3) != 0;
        u.dashboards = static_cast<size_t>(st->column_int64(4));
        u.devices = static_cast<size_t>(st->column_int64(5));
        users.push_back(std::move(u));
    }
    return users;
}

// ---------------------------------------------------------------------------------------------
// Dashboards

bool Store::dashboard_exists(const std::string& email, int dash_id) {
    StatementScope st(st_->dashboard_exists);
    st->bind_text(1, email);
    st->bind_int(2, dash_id);
    return st->step();
}

void Store::insert_dashboard(const std::string& email, const model::Dashboard& dash) {
    StatementScope st(st_->insert_dashboard);
    bind_dashboard(*st, email, dash);
    st->bind_int(12, dash.created_at_ms);
    st->run();
    store_log()->info("dashboard {} \"{}\" created for {}", dash.id, dash.name, email);
}

void Store::check_room_for_dashboard(const std::string& email, uint32_t dashboards_limit) {
    int64_t dashboards = 0;
    {
        StatementScope st(st_->count_dashboards);
        st->bind_text(1, email);
        if (st->step()) dashboards = st->column_int64(0);
    }
    if (dashboards >= static_cast<int64_t>(dashboards_limit)) {
        throw StoreError(email + " already has " + std::to_string(dashboards) +
                         " dashboards (user.dashboard.max.limit)");
    }
}

model::Dashboard Store::create_dashboard(const std::string& email, model::Dashboard dash,
                                         uint32_t dashboards_limit, uint32_t devices_limit) {
    const std::string dash_label = "dashboard " + std::to_string(dash.id);
    Transaction tx(db_);
    if (!user_exists(email)) throw StoreError("user " + email + " does not exist");
    if (dashboard_exists(email, dash.id)) throw StoreError(dash_label + " already exists");
    check_room_for_dashboard(email, dashboards_limit);
    if (dash.devices.size() > devices_limit) {
        throw StoreError(dash_label + " of " + email + " would have " +
                         std::to_string(dash.devices.size()) + " devices (limit " +
                         std::to_string(devices_limit) + ")");
    }
    std::set<int> device_ids;
    for (const model::Device& device : dash.devices) {
        if (!device_ids.insert(device.id).second) {
            throw StoreError("device " + std::to_string(device.id) + " appears twice in " +
                             dash_label);
        }
    }
    insert_dashboard(email, dash);
    for (model::Device& device : dash.devices)
        insert_device(email, dash.id, device);
    tx.commit();
    return dash;
}

void Store::save_dashboards(const std::string& email, const std::vector<model::Dashboard>& dashes) {
    if (dashes.empty()) return;
    Transaction tx(db_);
    size_t skipped = 0;
    for (const model::Dashboard& dash : dashes) {
        StatementScope st(st_->update_dashboard);
        bind_dashboard(*st, email, dash);
        st->run();
        if (db_.changes() == 0) ++skipped;
    }
    tx.commit();
    if (skipped > 0) {
        store_log()->debug("save dashboards of {}: skipped {} that no longer exist", email,
                           skipped);
    }
}

std::vector<std::string> Store::delete_dashboard(const std::string& email, int dash_id) {
    Transaction tx(db_);
    std::vector<std::pair<int, std::string>> devices;  // (id, token)
    {
        StatementScope st(st_->dashboard_devices);
        st->bind_text(1, email);
        st->bind_int(2, dash_id);
        while (st->step())
            devices.emplace_back(st->column_int(0), st->column_text(1));
    }
    {
        // The foreign keys' ON DELETE CASCADE removes the devices and everything they own.
        StatementScope st(st_->delete_dashboard);
        st->bind_text(1, email);
        st->bind_int(2, dash_id);
        st->run();
        if (db_.changes() == 0) throw no_dashboard(dash_id);
    }
    std::vector<std::string> tokens;
    for (auto& [device_id, token] : devices) {
        log_provision(kDeviceDeleted, email, dash_id, device_id, token, "");
        tokens.push_back(std::move(token));
    }
    tx.commit();
    store_log()->info("dashboard {} of {} deleted with {} devices", dash_id, email, tokens.size());
    return tokens;
}

// ---------------------------------------------------------------------------------------------
// Devices by id

std::optional<std::string> Store::device_token(const std::string& email, int dash_id,
                                               int device_id) {
    StatementScope st(st_->device_token);
    bind_device_key(*st, email, dash_id, device_id);
    if (!st->step()) return std::nullopt;
    return st->column_text(0);
}

model::Device Store::create_device(const std::string& email, int dash_id, model::Device device,
                                   uint32_t devices_limit) {
    Transaction tx(db_);
    if (!dashboard_exists(email, dash_id)) throw no_dashboard(dash_id);
    if (device_token(email, dash_id, device.id)) {
        throw StoreError("device " + std::to_string(device.id) + " already exists in dashboard " +
                         std::to_string(dash_id));
    }
    next_device_id(email, dash_id, devices_limit);  // for its limit check: the app chose the id
    insert_device(email, dash_id, device);
    tx.commit();
    return device;
}

bool Store::update_device(const std::string& email, int dash_id, const model::Device& device) {
    StatementScope st(st_->update_device);
    bind_device_key(*st, email, dash_id, device.id);
    st->bind_text(4, device.name);
    st->bind_text(5, device.board_type);
    st->bind_text(6, device.extra);
    st->run();
    return db_.changes() > 0;
}

std::optional<std::string> Store::delete_device(const std::string& email, int dash_id,
                                                int device_id) {
    Transaction tx(db_);
    auto token = device_token(email, dash_id, device_id);
    if (!token) return std::nullopt;
    {
        StatementScope st(st_->delete_device);
        bind_device_key(*st, email, dash_id, device_id);
        st->run();
    }
    log_provision(kDeviceDeleted, email, dash_id, device_id, *token, "");
    tx.commit();
    store_log()->info("device {} of dashboard {} of {} deleted (token {})", device_id, dash_id,
                      email, util::redact_token(*token));
    return token;
}

std::optional<std::string> Store::refresh_device_token(const std::string& email, int dash_id,
                                                       int device_id) {
    Transaction tx(db_);
    auto old_token = device_token(email, dash_id, device_id);
    if (!old_token) return std::nullopt;
    return replace_token(tx, email, dash_id, device_id, *old_token);
}

// ---------------------------------------------------------------------------------------------
// Push tokens

void Store::put_push_token(const std::string& email, const model::PushToken& token) {
    StatementScope st(st_->upsert_push_token);
    st->bind_text(1, email);
    st->bind_int(2, token.dash_id);
    st->bind_text(3, token.uid);
    st->bind_text(4, token.token);
    st->bind_text(5, token.os);
    if (!st->run_unless_orphan()) throw no_dashboard(token.dash_id);
}

void Store::remove_push_tokens(const std::string& email, const std::string& uid) {
    StatementScope st(st_->delete_push_tokens);
    st->bind_text(1, email);
    st->bind_text(2, uid);
    st->run();
}

}  // namespace blynk::store
