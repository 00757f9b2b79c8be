#include "server/store/store.hpp"

#include <algorithm>
#include <cstdint>

#include "common/util/clock.hpp"
#include "common/util/token.hpp"
#include "server/store/migrations.hpp"
#include "server/store/statements.hpp"

namespace blynk::store {

namespace {

constexpr const char* kDefaultDashboardName = "My Project";
constexpr int kDefaultDashboardId = 1;
constexpr int kTokenAttempts = 8;

Database open_database(const std::string& path) {
    Database db(path);
    open_schema(db);
    return db;
}

}  // namespace

std::filesystem::path Store::db_path(const std::filesystem::path& data_dir) {
    return data_dir / "blynkd.db";
}

Store::Store(const std::string& location)
    : db_(open_database(location)),
      st_(std::make_unique<Statements>(db_)),
      history_(std::make_unique<HistoryStore>(db_)) {}

Store::~Store() = default;

// ---------------------------------------------------------------------------------------------
// Reading

std::vector<DeviceRow> Store::list_devices(std::optional<std::string> email) {
    std::vector<DeviceRow> rows;
    StatementScope st(st_->list_devices);
    if (email) {
        st->bind_text(1, *email);
    } else {
        st->bind_null(1);
    }
    while (st->step())
        rows.push_back(read_device_row(*st));
    return rows;
}

void Store::load_pins_and_properties(const std::string& email, int dash_id, model::Device& device) {
    {
        StatementScope st(st_->device_pins);
        bind_device_key(*st, email, dash_id, device.id);
        while (st->step()) {
            if (auto key = model::parse_pin_key(st->column_text(0))) {
                device.pins[*key] = st->column_blob(1);
            }
        }
    }
    StatementScope st(st_->device_properties);
    bind_device_key(*st, email, dash_id, device.id);
    while (st->step()) {
        auto pin = static_cast<uint8_t>(st->column_int(0));
        device.properties[{pin, st->column_text(1)}] = st->column_blob(2);
    }
}

std::optional<DeviceRow> Store::find_device_by_token(const std::string& token) {
    std::optional<DeviceRow> row;
    {
        StatementScope st(st_->device_by_token);
        st->bind_text(1, token);
        if (!st->step()) return std::nullopt;
        row = read_device_row(*st);
    }
    load_pins_and_properties(row->email, row->dash_id, row->device);
    return row;
}

std::vector<ProvisionEvent> Store::provision_events_after(int64_t seq) {
    std::vector<ProvisionEvent> events;
    StatementScope st(st_->provision_after);
    st->bind_int(1, seq);
    while (st->step()) {
        ProvisionEvent e;
        e.seq = st->column_int64(0);
        e.kind = st->column_text(1);
        e.email = st->column_text(2);
        e.dash_id = st->column_int(3);
        e.device_id = st->column_int(4);
        e.token = st->column_text(5);
        e.old_token = st->column_text(6);
        events.push_back(std::move(e));
    }
    return events;
}

int64_t Store::last_provision_seq() {
    StatementScope st(st_->last_seq);
    return st->step() ? st->column_int64(0) : 0;
}

void Store::check_writable() {
    Transaction tx(db_);  // rolled back by its destructor: nothing is written
}

int64_t Store::data_version() {
    StatementScope st(st_->data_version);
    return st->step() ? st->column_int64(0) : 0;
}

std::vector<model::DeviceEvent> Store::device_events(const std::string& email, int dash_id,
                                                     int device_id, size_t limit) {
    std::vector<model::DeviceEvent> events;
    StatementScope st(st_->device_events);
    bind_device_key(*st, email, dash_id, device_id);
    st->bind_int(4, static_cast<int64_t>(std::min<std::uint64_t>(limit, INT64_MAX)));
    while (st->step()) {
        model::DeviceEvent e;
        e.name = st->column_text(0);
        e.description = st->column_text(1);
        e.time_ms = st->column_int64(2);
        events.push_back(std::move(e));
    }
    return events;
}

// ---------------------------------------------------------------------------------------------
// Provisioning: each call is one IMMEDIATE transaction, committed before returning.

std::optional<model::User> Store::find_user(const std::string& email) {
    StatementScope st(st_->find_user);
    st->bind_text(1, email);
    if (!st->step()) return std::nullopt;
    return read_user_row(*st);
}

bool Store::user_exists(const std::string& email) {
    StatementScope st(st_->user_exists);
    st->bind_text(1, email);
    return st->step();
}

std::string Store::unused_token() {
    // 192 random bits make a collision practically impossible; the check keeps UNIQUE from ever
    // surfacing as an error to the caller.
    for (int attempt = 0; attempt < kTokenAttempts; ++attempt) {
        std::string token = util::generate_token();
        StatementScope st(st_->token_exists);
        st->bind_text(1, token);
        if (!st->step()) return token;
        store_log()->warn("generated token {} already exists; generating another",
                          util::redact_token(token));
    }
    throw StoreError("could not generate an unused device token");
}

void Store::log_provision(std::string_view kind, const std::string& email, int dash_id,
                          int device_id, const std::string& token, const std::string& old_token) {
    StatementScope st(st_->insert_provision);
    st->bind_text(1, kind);
    st->bind_text(2, email);
    st->bind_int(3, dash_id);
    st->bind_int(4, device_id);
    st->bind_text(5, token);
    st->bind_text(6, old_token);
    st->bind_int(7, util::now_ms());
    st->run();
}

model::User Store::add_user(const std::string& email, const std::string& password_hash,
                            model::PasswordKind kind, bool admin) {
    if (email.empty()) throw StoreError("user email must not be empty");
    Transaction tx(db_);
    if (user_exists(email)) throw StoreError("user " + email + " already exists");
    model::User user;
    user.email = email;
    user.password_hash = password_hash;
    user.password_kind = kind;
    user.admin = admin;
    user.created_at_ms = util::now_ms();
    {
        StatementScope st(st_->insert_user);
        st->bind_text(1, email);
        st->bind_text(2, password_hash);
        st->bind_int(3, user.created_at_ms);
        st->bind_int(4, static_cast<int64_t>(kind));
        st->bind_int(5, admin ? 1 : 0);
        st->run();
    }
    log_provision(kUserAdded, email, 0, 0, "", "");
    tx.commit();
    store_log()->info("user {} added{}", email, admin ? " (administrator)" : "");
    return user;
}

int Store::next_device_id(const std::string& email, int dash_id, uint32_t devices_limit) {
    int64_t count = 0;
    int next_id = 0;
    {
        StatementScope st(st_->count_devices);
        st->bind_text(1, email);
        st->bind_int(2, dash_id);
        if (st->step()) {
            count = st->column_int64(0);
            next_id = st->column_int(1);
        }
    }
    if (count >= static_cast<int64_t>(devices_limit)) {
        throw StoreError("dashboard " + std::to_string(dash_id) + " of " + email + " already has " +
                         std::to_string(count) + " devices (limit " +
                         std::to_string(devices_limit) + ")");
    }
    return next_id;
}

void Store::insert_device(const std::string& email, int dash_id, model::Device& device) {
    device.token = unused_token();
    device.created_at_ms = util::now_ms();
    {
        StatementScope st(st_->insert_device);
        bind_device_key(*st, email, dash_id, device.id);
        st->bind_text(4, device.name);
        st->bind_text(5, device.board_type);
        st->bind_text(6, device.token);
        st->bind_int(7, device.created_at_ms);
        st->bind_text(8, device.extra);
        st->run();
    }
    log_provision(kDeviceAdded, email, dash_id, device.id, device.token, "");
    store_log()->info("device {} \"{}\" added to dashboard {} of {} (token {})", device.id,
                      device.name, dash_id, email, util::redact_token(device.token));
}

AddedDevice Store::add_device(const std::string& email, const std::string& name,
                              const std::string& board, std::optional<int> dash_id,
                              uint32_t devices_limit, uint32_t dashboards_limit) {
    Transaction tx(db_);
    if (!user_exists(email)) {
        throw StoreError("no user " + email + "; create it with: blynkd user add " + email);
    }
    auto create_dashboard_named = [&](int id, std::string dash_name) {
        check_room_for_dashboard(email, dashboards_limit);
        model::Dashboard dash;
        dash.id = id;
        dash.name = std::move(dash_name);
        dash.created_at_ms = dash.updated_at_ms = util::now_ms();
        insert_dashboard(email, dash);
    };
    int dash = 0;
    if (!dash_id) {
        std::optional<int> lowest;
        {
            StatementScope st(st_->lowest_dashboard);
            st->bind_text(1, email);
            if (st->step() && !st->column_is_null(0)) lowest = st->column_int(0);
        }
        dash = lowest.value_or(kDefaultDashboardId);
        if (!lowest) create_dashboard_named(dash, kDefaultDashboardName);
    } else {
        dash = *dash_id;
        if (!dashboard_exists(email, dash)) {
            create_dashboard_named(dash, "Dashboard " + std::to_string(dash));
        }
    }

    AddedDevice added;
    added.email = email;
    added.dash_id = dash;
    added.device.id = next_device_id(email, dash, devices_limit);
    added.device.name = name;
    added.device.board_type = board;
    insert_device(email, dash, added.device);
    tx.commit();
    return added;
}

std::string Store::replace_token(Transaction& tx, const std::string& email, int dash_id,
                                 int device_id, const std::string& old_token) {
    std::string token = unused_token();
    {
        StatementScope st(st_->update_token);
        st->bind_text(1, old_token);
        st->bind_text(2, token);
        st->run();
    }
    log_provision(kTokenRefreshed, email, dash_id, device_id, token, old_token);
    tx.commit();
    store_log()->info("token of device {} in dashboard {} of {} refreshed: {} -> {}", device_id,
                      dash_id, email, util::redact_token(old_token), util::redact_token(token));
    return token;
}

std::optional<std::string> Store::refresh_token(const std::string& old_token) {
    Transaction tx(db_);
    std::optional<DeviceRow> row;
    {
        StatementScope st(st_->device_by_token);
        st->bind_text(1, old_token);
        if (!st->step()) return std::nullopt;  // the transaction rolls back: nothing written
        row = read_device_row(*st);
    }
    return replace_token(tx, row->email, row->dash_id, row->device.id, old_token);
}

}  // namespace blynk::store
