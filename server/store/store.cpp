#include "server/store/store.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "common/util/clock.hpp"
#include "common/util/token.hpp"
#include "server/store/migrations.hpp"
#include "server/store/postgres_arrays.hpp"
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

// ---------------------------------------------------------------------------------------------
// Batched writes

size_t Store::mark_all_offline() {
    StatementScope st(st_->mark_all_offline);
    st->run();
    return static_cast<size_t>(db_.changes());
}

size_t Store::upsert_pin_arrays(const std::vector<const PinWrite*>& pins) {
    constexpr size_t kRowsPerStatement = 4096;
    size_t skipped = 0;
    for (size_t begin = 0; begin < pins.size(); begin += kRowsPerStatement) {
        const size_t end = std::min(pins.size(), begin + kRowsPerStatement);
        PgArrayLiteral emails, dashes, devices, keys, values, times;
        for (size_t i = begin; i < end; ++i) {
            const PinWrite& w = *pins[i];
            emails.add_text(w.email);
            dashes.add_int(w.dash_id);
            devices.add_int(w.device_id);
            keys.add_text(w.pin.str());
            values.add_bytes(w.value);
            times.add_int(w.time_ms);
        }
        StatementScope st(st_->upsert_pin);
        st->bind_text(1, emails.str());
        st->bind_text(2, dashes.str());
        st->bind_text(3, devices.str());
        st->bind_text(4, keys.str());
        st->bind_text(5, values.str());
        st->bind_text(6, times.str());
        st->run();
        skipped += (end - begin) - static_cast<size_t>(db_.changes());
    }
    return skipped;
}

void Store::write_batch(const std::vector<PinWrite>& pins,
                        const std::vector<PropertyWrite>& properties,
                        const std::vector<LastSeenWrite>& last_seen,
                        const std::vector<EventWrite>& events) {
    if (pins.empty() && properties.empty() && last_seen.empty() && events.empty()) return;
    // Rows go in primary-key order, so each b-tree page is visited once and in order: in hash
    // order a batch larger than the page cache committed about 3x slower.
    std::vector<const PinWrite*> ordered_pins;
    ordered_pins.reserve(pins.size());
    for (const PinWrite& w : pins)
        ordered_pins.push_back(&w);
    const auto key = [](const PinWrite* w) {
        return std::tie(w->email, w->dash_id, w->device_id, w->pin);
    };
    // Stable: of several writes to one pin, the last given stays last and wins.
    std::stable_sort(ordered_pins.begin(), ordered_pins.end(),
                     [&](const PinWrite* a, const PinWrite* b) { return key(a) < key(b); });
    // Values are written behind anyway: a power cut may take the last batches (they are
    // synced at the next checkpoint or provisioning commit), a crash never does.
    const SynchronousNormal relaxed(db_);
    Transaction tx(db_);
    size_t skipped = 0;
    if (db_.dialect() == Dialect::Postgres) {
        // One row per pin (an upsert cannot touch a row twice in one statement): the last.
        auto last =
            std::unique(ordered_pins.rbegin(), ordered_pins.rend(),
                        [&](const PinWrite* a, const PinWrite* b) { return key(a) == key(b); });
        ordered_pins.erase(ordered_pins.begin(), last.base());
        skipped += upsert_pin_arrays(ordered_pins);
    } else {
        for (const PinWrite* pin : ordered_pins) {
            const PinWrite& w = *pin;
            StatementScope st(st_->upsert_pin);
            bind_device_key(*st, w.email, w.dash_id, w.device_id);
            st->bind_text(4, w.pin.str());
            st->bind_blob(5, w.value);
            st->bind_int(6, w.time_ms);
            if (!st->run_unless_orphan()) ++skipped;
        }
    }
    for (const PropertyWrite& w : properties) {
        StatementScope st(st_->upsert_property);
        bind_device_key(*st, w.email, w.dash_id, w.device_id);
        st->bind_int(4, w.pin);
        st->bind_text(5, w.name);
        st->bind_blob(6, w.value);
        st->run();
        if (db_.changes() == 0) ++skipped;
    }
    for (const LastSeenWrite& w : last_seen) {
        StatementScope st(st_->update_last_seen);
        bind_device_key(*st, w.email, w.dash_id, w.device_id);
        st->bind_int(4, w.last_seen_ms);
        st->bind_int(5, w.online ? 1 : 0);
        st->run();
        if (db_.changes() == 0) ++skipped;
    }
    for (const EventWrite& w : events) {
        StatementScope st(st_->insert_event);
        bind_device_key(*st, w.email, w.dash_id, w.device_id);
        st->bind_text(4, w.event.name);
        st->bind_text(5, w.event.description);
        st->bind_int(6, w.event.time_ms);
        st->run();
        if (db_.changes() == 0) ++skipped;
    }
    tx.commit();
    if (skipped > 0) {
        store_log()->debug("write batch: skipped {} writes for devices that no longer exist",
                           skipped);
    }
}

}  // namespace blynk::store
