#include "tools/bench/provision.hpp"

#include <chrono>

#include "common/util/password.hpp"
#include "common/util/token.hpp"
#include "server/model/user.hpp"
#include "server/store/migrations.hpp"
#include "server/store/sql_handle.hpp"
#include "server/store/store.hpp"

namespace blynk::bench {

const AppPassword& bench_app_password() {
    static const AppPassword password = [] {
        AppPassword p;
        p.given = util::app_password_hash("bench@bench.local", "bench");
        p.stored = util::hash_password(p.given);
        return p;
    }();
    return password;
}

std::vector<BenchDevice> provision(const std::filesystem::path& data_dir, const std::string& prefix,
                                   size_t users, size_t devices_per_user, const AppProvision& app) {
    std::filesystem::create_directories(data_dir);
    store::Database db(store::Store::db_path(data_dir).string());
    store::open_schema(db);
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const std::string password_hash = app.app_login ? bench_app_password().stored : "";
    const auto password_kind =
        static_cast<int64_t>(app.app_login ? model::PasswordKind::App : model::PasswordKind::None);
    std::vector<BenchDevice> devices;
    devices.reserve(users * devices_per_user);
    store::Transaction tx(db);
    store::Statement user(db,
                          "INSERT INTO users (email, password_hash, password_kind, created_at_ms) "
                          "VALUES (?1, ?2, ?3, ?4)",
                          "bench: insert user");
    store::Statement dash(db,
                          "INSERT INTO dashboards (user_email, id, name, is_active, widgets) "
                          "VALUES (?1, 1, 'My Project', ?2, ?3)",
                          "bench: insert dashboard");
    store::Statement device(db,
                            "INSERT INTO devices (user_email, dash_id, id, name, board_type, "
                            "token, created_at_ms) VALUES (?1, 1, ?2, ?3, 'ESP32', ?4, ?5)",
                            "bench: insert device");
    store::Statement pin(db,
                         "INSERT INTO pin_values (user_email, dash_id, device_id, pin, value, "
                         "updated_at_ms) VALUES (?1, 1, ?2, ?3, ?4, ?5)",
                         "bench: insert pin value");
    for (size_t u = 0; u < users; ++u) {
        const std::string email = prefix + "-" + std::to_string(u) + "@bench.local";
        user.bind_text(1, email);
        user.bind_text(2, password_hash);
        user.bind_int(3, password_kind);
        user.bind_int(4, now);
        user.run();
        user.reset();
        dash.bind_text(1, email);
        dash.bind_int(2, app.active ? 1 : 0);
        dash.bind_text(3, app.widgets);
        dash.run();
        dash.reset();
        for (size_t d = 0; d < devices_per_user; ++d) {
            BenchDevice bd{email, 1, static_cast<int>(d), util::generate_token()};
            device.bind_text(1, email);
            device.bind_int(2, bd.device_id);
            device.bind_text(3, "bench " + std::to_string(d));
            device.bind_text(4, bd.token);
            device.bind_int(5, now);
            device.run();
            device.reset();
            for (const auto& [key, value] : app.pin_values) {
                pin.bind_text(1, email);
                pin.bind_int(2, bd.device_id);
                pin.bind_text(3, key);
                pin.bind_blob(4, value);
                pin.bind_int(5, now);
                pin.run();
                pin.reset();
            }
            devices.push_back(std::move(bd));
        }
    }
    tx.commit();
    return devices;
}

}  // namespace blynk::bench
