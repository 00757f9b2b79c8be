#include "tools/bench/provision.hpp"

#include <chrono>

#include "common/util/token.hpp"
#include "server/store/migrations.hpp"
#include "server/store/sqlite_handle.hpp"
#include "server/store/sqlite_store.hpp"

namespace blynk::bench {

std::vector<BenchDevice> provision(const std::filesystem::path& data_dir, const std::string& prefix,
                                   size_t users, size_t devices_per_user) {
    std::filesystem::create_directories(data_dir);
    store::Database db(store::SqliteStore::db_path(data_dir).string());
    store::open_schema(db);
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    std::vector<BenchDevice> devices;
    devices.reserve(users * devices_per_user);
    store::Transaction tx(db);
    store::Statement user(db,
                          "INSERT INTO users (email, password_hash, created_at_ms) "
                          "VALUES (?1, '', ?2)",
                          "bench: insert user");
    store::Statement dash(db,
                          "INSERT INTO dashboards (user_email, id, name) "
                          "VALUES (?1, 1, 'My Project')",
                          "bench: insert dashboard");
    store::Statement device(db,
                            "INSERT INTO devices (user_email, dash_id, id, name, board_type, "
                            "token, created_at_ms) VALUES (?1, 1, ?2, ?3, 'ESP32', ?4, ?5)",
                            "bench: insert device");
    for (size_t u = 0; u < users; ++u) {
        const std::string email = prefix + "-" + std::to_string(u) + "@bench.local";
        user.bind_text(1, email);
        user.bind_int(2, now);
        user.run();
        user.reset();
        dash.bind_text(1, email);
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
            devices.push_back(std::move(bd));
        }
    }
    tx.commit();
    return devices;
}

}  // namespace blynk::bench
