#pragma once
// Internal to SqliteStore: every SQL statement it runs, prepared once per connection.

#include <string>

#include "server/store/sqlite_handle.hpp"
#include "server/store/sqlite_store.hpp"

namespace blynk::store {

// Columns: user_email, dash_id, id, name, board_type, token, created_at_ms, last_seen_ms, online.
inline constexpr const char* kDeviceColumns =
    "user_email, dash_id, id, name, board_type, token, created_at_ms, last_seen_ms, online";

// Prepared once per connection; every use goes through a StatementScope so it is reset.
struct SqliteStore::Statements {
    explicit Statements(Database& db)
        : user_exists(db, "SELECT 1 FROM users WHERE email = ?1", "look up user"),
          insert_user(db,
                      "INSERT INTO users (email, password_hash, created_at_ms) VALUES (?1, ?2, ?3)",
                      "insert user"),
          lowest_dashboard(db, "SELECT MIN(id) FROM dashboards WHERE user_email = ?1",
                           "find lowest dashboard"),
          dashboard_exists(db, "SELECT 1 FROM dashboards WHERE user_email = ?1 AND id = ?2",
                           "look up dashboard"),
          insert_dashboard(db, "INSERT INTO dashboards (user_email, id, name) VALUES (?1, ?2, ?3)",
                           "insert dashboard"),
          count_devices(db,
                        "SELECT COUNT(*), COALESCE(MAX(id) + 1, 0) FROM devices "
                        "WHERE user_email = ?1 AND dash_id = ?2",
                        "count devices"),
          token_exists(db, "SELECT 1 FROM devices WHERE token = ?1", "look up token"),
          insert_device(db,
                        "INSERT INTO devices (user_email, dash_id, id, name, board_type, token, "
                        "created_at_ms, last_seen_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
                        "insert device"),
          update_token(db, "UPDATE devices SET token = ?2 WHERE token = ?1", "replace token"),
          insert_provision(db,
                           "INSERT INTO provision_log (kind, user_email, dash_id, device_id, "
                           "token, old_token, time_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           "insert provision log"),
          all_users(db, "SELECT email, password_hash, created_at_ms FROM users ORDER BY email",
                    "load users"),
          all_dashboards(db, "SELECT user_email, id, name FROM dashboards ORDER BY user_email, id",
                         "load dashboards"),
          list_devices(db,
                       std::string("SELECT ") + kDeviceColumns +
                           " FROM devices WHERE ?1 IS NULL OR user_email = ?1"
                           " ORDER BY user_email, dash_id, id",
                       "list devices"),
          all_pins(db, "SELECT user_email, dash_id, device_id, pin, value FROM pin_values",
                   "load pin values"),
          all_properties(db,
                         "SELECT user_email, dash_id, device_id, pin, name, value "
                         "FROM pin_properties",
                         "load pin properties"),
          device_by_token(
              db, std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE token = ?1",
              "find device by token"),
          device_pins(db,
                      "SELECT pin, value FROM pin_values "
                      "WHERE user_email = ?1 AND dash_id = ?2 AND device_id = ?3",
                      "load device pins"),
          device_properties(db,
                            "SELECT pin, name, value FROM pin_properties "
                            "WHERE user_email = ?1 AND dash_id = ?2 AND device_id = ?3",
                            "load device properties"),
          provision_after(db,
                          "SELECT seq, kind, user_email, dash_id, device_id, token, old_token "
                          "FROM provision_log WHERE seq > ?1 ORDER BY seq",
                          "read provision log"),
          last_seq(db, "SELECT COALESCE(MAX(seq), 0) FROM provision_log",
                   "read last provision seq"),
          data_version(db, "PRAGMA data_version", "read data_version"),
          // The hot write: no EXISTS subquery (a third of its cost); a device deleted meanwhile
          // fails the foreign key, which run_unless_orphan() turns into a skipped row.
          upsert_pin(db,
                     "INSERT INTO pin_values (user_email, dash_id, device_id, pin, value, "
                     "updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                     "ON CONFLICT (user_email, dash_id, device_id, pin) DO UPDATE SET "
                     "value = excluded.value, updated_at_ms = excluded.updated_at_ms",
                     "write pin value"),
          // INSERT ... SELECT ... WHERE EXISTS skips writes for devices deleted meanwhile
          // (changes() == 0) instead of failing the whole batch on the foreign key.
          upsert_property(db,
                          "INSERT INTO pin_properties (user_email, dash_id, device_id, pin, name, "
                          "value) SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM "
                          "devices WHERE user_email = ?1 AND dash_id = ?2 AND id = ?3) "
                          "ON CONFLICT (user_email, dash_id, device_id, pin, name) DO UPDATE SET "
                          "value = excluded.value",
                          "write pin property"),
          mark_all_offline(db, "UPDATE devices SET online = 0 WHERE online <> 0",
                           "mark all devices offline"),
          update_last_seen(db,
                           // SET expressions see the old row: online follows the newest time.
                           "UPDATE devices SET online = CASE WHEN ?4 >= last_seen_ms THEN ?5 "
                           "ELSE online END, last_seen_ms = MAX(last_seen_ms, ?4) "
                           "WHERE user_email = ?1 AND dash_id = ?2 AND id = ?3",
                           "write last seen"),
          insert_event(db,
                       "INSERT INTO device_events (user_email, dash_id, device_id, name, "
                       "description, time_ms) SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS ("
                       "SELECT 1 FROM devices WHERE user_email = ?1 AND dash_id = ?2 AND id = ?3)",
                       "write device event"),
          device_events(db,
                        "SELECT name, description, time_ms FROM device_events "
                        "WHERE user_email = ?1 AND dash_id = ?2 AND device_id = ?3 "
                        "ORDER BY time_ms DESC, id DESC LIMIT ?4",
                        "read device events") {}

    Statement user_exists;
    Statement insert_user;
    Statement lowest_dashboard;
    Statement dashboard_exists;
    Statement insert_dashboard;
    Statement count_devices;
    Statement token_exists;
    Statement insert_device;
    Statement update_token;
    Statement insert_provision;
    Statement all_users;
    Statement all_dashboards;
    Statement list_devices;
    Statement all_pins;
    Statement all_properties;
    Statement device_by_token;
    Statement device_pins;
    Statement device_properties;
    Statement provision_after;
    Statement last_seq;
    Statement data_version;
    Statement upsert_pin;
    Statement upsert_property;
    Statement mark_all_offline;
    Statement update_last_seen;
    Statement insert_event;
    Statement device_events;
};

}  // namespace blynk::store
