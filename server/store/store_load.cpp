// Store::load_all(): the whole database as the model, read at start-up.

#include <map>
#include <nlohmann/json.hpp>
#include <tuple>
#include <utility>

#include "server/model/widget.hpp"
#include "server/store/statements.hpp"
#include "server/store/store.hpp"

namespace blynk::store {

namespace {

// ordered_json: every widget keeps its fields in the order the app sent them (a std::map would
// sort them, and the app gets its widgets back as it stored them).
using Json = nlohmann::ordered_json;

std::vector<model::Widget> parse_widgets(const std::string& stored, const std::string& email,
                                         int dash_id) {
    std::vector<model::Widget> widgets;
    Json array = Json::parse(stored, nullptr, false);
    if (array.is_discarded() || !array.is_array()) {
        store_log()->warn(
            "dashboard {} of {}: stored widgets are not a JSON array; loaded "
            "without widgets",
            dash_id, email);
        return widgets;
    }
    widgets.reserve(array.size());
    for (const Json& element : array) {
        std::string error;
        if (auto widget = model::parse_widget(element.dump(), error)) {
            widgets.push_back(std::move(*widget));
        } else {
            store_log()->warn("dashboard {} of {}: skipping a stored widget: {}", dash_id, email,
                              error);
        }
    }
    return widgets;
}

// A row of all_dashboards: user_email, id, kDashboardFields, created_at_ms.
model::Dashboard read_dashboard(const Statement& st) {
    model::Dashboard d;
    d.id = st.column_int(1);
    d.name = st.column_text(2);
    d.updated_at_ms = st.column_int64(3);
    d.active = st.column_int(4) != 0;
    d.app_connected_on = st.column_int(5) != 0;
    d.notifications_off = st.column_int(6) != 0;
    d.shared = st.column_int(7) != 0;
    d.share_token = st.column_text(8);
    d.settings = st.column_text(9);
    d.widgets = parse_widgets(st.column_text(10), st.column_text(0), d.id);
    d.created_at_ms = st.column_int64(11);
    return d;
}

}  // namespace

std::vector<model::User> Store::load_all() {
    using DeviceKey = std::tuple<std::string, int, int>;
    struct Slot {
        size_t user, dash, device;
    };
    std::vector<model::User> users;
    std::map<std::string, size_t, std::less<>> user_index;
    std::map<std::pair<std::string, int>, std::pair<size_t, size_t>> dash_index;
    std::map<DeviceKey, Slot> device_index;

    // One snapshot for all six queries, so a concurrent CLI write cannot tear the result.
    db_.begin_read();
    struct EndRead {
        Database& db;
        ~EndRead() {
            try {
                if (!db.autocommit()) db.exec("COMMIT", "end read transaction");
            } catch (const StoreError& e) {
                store_log()->error("{}", e.what());
            }
        }
    } end_read{db_};

    {
        StatementScope st(st_->all_users);
        while (st->step()) {
            model::User u = read_user_row(*st);
            user_index.emplace(u.email, users.size());
            users.push_back(std::move(u));
        }
    }
    {
        StatementScope st(st_->all_dashboards);
        while (st->step()) {
            auto it = user_index.find(st->column_text(0));
            if (it == user_index.end()) continue;  // impossible with foreign keys on
            auto& dashboards = users[it->second].dashboards;
            model::Dashboard d = read_dashboard(*st);
            dash_index[{it->first, d.id}] = {it->second, dashboards.size()};
            dashboards.push_back(std::move(d));
        }
    }
    {
        StatementScope st(st_->all_push_tokens);
        while (st->step()) {
            auto it = user_index.find(st->column_text(0));
            if (it == user_index.end()) continue;
            users[it->second].push_tokens.push_back(
                {st->column_int(1), st->column_text(2), st->column_text(3), st->column_text(4)});
        }
    }
    {
        StatementScope st(st_->list_devices);
        st->bind_null(1);
        while (st->step()) {
            DeviceRow row = read_device_row(*st);
            auto it = dash_index.find({row.email, row.dash_id});
            if (it == dash_index.end()) continue;
            auto [ui, di] = it->second;
            auto& devices = users[ui].dashboards[di].devices;
            device_index[{row.email, row.dash_id, row.device.id}] = {ui, di, devices.size()};
            devices.push_back(std::move(row.device));
        }
    }
    auto find_device = [&](const Statement& st) -> model::Device* {
        auto it = device_index.find({st.column_text(0), st.column_int(1), st.column_int(2)});
        if (it == device_index.end()) return nullptr;
        return &users[it->second.user].dashboards[it->second.dash].devices[it->second.device];
    };
    {
        StatementScope st(st_->all_pins);
        while (st->step()) {
            model::Device* device = find_device(*st);
            if (device == nullptr) continue;
            std::string pin = st->column_text(3);
            auto key = model::parse_pin_key(pin);
            if (!key) {
                store_log()->warn("skipping stored pin value with invalid pin '{}'", pin);
                continue;
            }
            device->pins[*key] = st->column_blob(4);
        }
    }
    {
        StatementScope st(st_->all_properties);
        while (st->step()) {
            model::Device* device = find_device(*st);
            if (device == nullptr) continue;
            auto pin = static_cast<uint8_t>(st->column_int(3));
            device->properties[{pin, st->column_text(4)}] = st->column_blob(5);
        }
    }
    return users;
}

}  // namespace blynk::store
