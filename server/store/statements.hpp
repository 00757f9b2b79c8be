#pragma once
// Internal to Store: every SQL statement it runs, prepared once per connection, and the
// helpers that bind and read their rows (shared by Store's source files).

#include <string>
#include <string_view>

#include "server/store/sql_handle.hpp"
#include "server/store/store.hpp"

namespace blynk::store {

// Columns: user_email, dash_id, id, name, board_type, token, created_at_ms, last_seen_ms, online,
// extra (read by read_device_row()).
inline constexpr const char* kDeviceColumns =
    "user_email, dash_id, id, name, board_type, token, created_at_ms, last_seen_ms, online, extra";

// Columns of a user's account (read by read_user_row()).
inline constexpr const char* kUserColumns =
    "email, password_hash, created_at_ms, password_kind, admin";

// Parameters ?3 to ?11 of insert_dashboard and update_dashboard (bound by bind_dashboard()),
// columns 2 to 10 of all_dashboards.
inline constexpr const char* kDashboardFields =
    "name, updated_at_ms, is_active, is_app_connected_on, is_notifications_off, is_shared, "
    "share_token, settings, widgets";

// Prepared once per connection; every use goes through a StatementScope so it is reset.
struct Store::Statements {
    explicit Statements(Database& db)
        : user_exists(db, "SELECT 1 FROM users WHERE email = ?1", "look up user"),
          find_user(db, std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?1",
                    "read user"),
          insert_user(db,
                      "INSERT INTO users (email, password_hash, created_at_ms, password_kind, "
                      "admin) VALUES (?1, ?2, ?3, ?4, ?5)",
                      "insert user"),
          update_admin(db, "UPDATE users SET admin = ?2 WHERE email = ?1", "change admin"),
          delete_user(db, "DELETE FROM users WHERE email = ?1", "delete user"),
          update_password(db,
                          "UPDATE users SET password_hash = ?2, password_kind = ?3 "
                          "WHERE email = ?1",
                          "change password"),
          user_summaries(db,
                         "SELECT email, password_kind, created_at_ms, admin, "
                         "(SELECT COUNT(*) FROM dashboards WHERE user_email = users.email), "
                         "(SELECT COUNT(*) FROM devices WHERE user_email = users.email) "
                         "FROM users ORDER BY email",
                         "list users"),
          count_dashboards(db, "SELECT COUNT(*) FROM dashboards WHERE user_email = ?1",
                           "count dashboards"),
          lowest_dashboard(db, "SELECT MIN(id) FROM dashboards WHERE user_email = ?1",
                           "find lowest dashboard"),
          dashboard_exists(db, "SELECT 1 FROM dashboards WHERE user_email = ?1 AND id = ?2",
                           "look up dashboard"),
          insert_dashboard(db,
                           std::string("INSERT INTO dashboards (user_email, id, ") +
                               kDashboardFields +
                               ", created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                               "?11, ?12)",
                           "insert dashboard"),
          update_dashboard(db,
                           std::string("UPDATE dashboards SET (") + kDashboardFields +
                               ") = (?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                               "WHERE user_email = ?1 AND id = ?2",
                           "save dashboard"),
          delete_dashboard(db, "DELETE FROM dashboards WHERE user_email = ?1 AND id = ?2",
                           "delete dashboard"),
          dashboard_devices(db,
                            "SELECT id, token FROM devices WHERE user_email = ?1 AND dash_id = ?2 "
                            "ORDER BY id",
                            "list dashboard devices"),
          count_devices(db,
                        "SELECT COUNT(*), COALESCE(MAX(id) + 1, 0) FROM devices "
                        "WHERE user_email = ?1 AND dash_id = ?2",
                        "count devices"),
          token_exists(db, "SELECT 1 FROM devices WHERE token = ?1", "look up token"),
          insert_device(db,
                        "INSERT INTO devices (user_email, dash_id, id, name, board_type, token, "
                        "created_at_ms, extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        "insert device"),
          device_token(
              db, "SELECT token FROM devices WHERE user_email = ?1 AND dash_id = ?2 AND id = ?3",
              "look up device"),
          update_device(db,
                        "UPDATE devices SET name = ?4, board_type = ?5, extra = ?6 "
                        "WHERE user_email = ?1 AND dash_id = ?2 AND id = ?3",
                        "update device"),
          delete_device(db,
                        "DELETE FROM devices WHERE user_email = ?1 AND dash_id = ?2 AND id = ?3",
                        "delete device"),
          update_token(db, "UPDATE devices SET token = ?2 WHERE token = ?1", "replace token"),
          insert_provision(db,
                           "INSERT INTO provision_log (kind, user_email, dash_id, device_id, "
                           "token, old_token, time_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           "insert provision log"),
          all_users(db, std::string("SELECT ") + kUserColumns + " FROM users ORDER BY email",
                    "load users"),
          all_dashboards(db,
                         std::string("SELECT user_email, id, ") + kDashboardFields +
                             ", created_at_ms FROM dashboards ORDER BY user_email, id",
                         "load dashboards"),
          all_push_tokens(db,
                          "SELECT user_email, dash_id, uid, token, os FROM push_tokens "
                          "ORDER BY user_email, dash_id, uid",
                          "load push tokens"),
          // A dashboard deleted meanwhile fails the foreign key (run_unless_orphan() says so).
          upsert_push_token(db,
                            "INSERT INTO push_tokens (user_email, dash_id, uid, token, os) "
                            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user_email, dash_id, uid) "
                            "DO UPDATE SET token = excluded.token, os = excluded.os",
                            "store push token"),
          delete_push_tokens(
              db, "DELETE FROM push_tokens WHERE user_email = ?1 AND (?2 = '' OR uid = ?2)",
              "remove push tokens"),
          list_devices(db,
                       std::string("SELECT ") + kDeviceColumns +
                           " FROM devices WHERE CAST(?1 AS TEXT) IS NULL OR user_email = ?1"
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
          // PostgreSQL has no data_version: its provision log's last seq changes as well when
          // another connection provisions.
          data_version(db,
                       db.dialect() == Dialect::Sqlite
                           ? "PRAGMA data_version"
                           : "SELECT COALESCE(MAX(seq), 0) FROM provision_log",
                       "read data_version"),
          // The hot write. SQLite: one row per run, no EXISTS subquery (a third of its cost); a
          // device deleted meanwhile fails the foreign key, which run_unless_orphan() turns into
          // a skipped row. PostgreSQL: a round trip per row would cap a batch at ~15,000 rows/s,
          // so the rows come as arrays (postgres_arrays.hpp) unnested in one statement, and the
          // EXISTS skips rows of deleted devices (no savepoint per row).
          upsert_pin(db,
                     db.dialect() == Dialect::Sqlite
                         ? "INSERT INTO pin_values (user_email, dash_id, device_id, pin, value, "
                           "updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                           "ON CONFLICT (user_email, dash_id, device_id, pin) DO UPDATE SET "
                           "value = excluded.value, updated_at_ms = excluded.updated_at_ms"
                         : "INSERT INTO pin_values (user_email, dash_id, device_id, pin, value, "
                           "updated_at_ms) SELECT * FROM unnest(CAST(?1 AS TEXT[]), "
                           "CAST(?2 AS BIGINT[]), CAST(?3 AS BIGINT[]), CAST(?4 AS TEXT[]), "
                           "CAST(?5 AS BYTEA[]), CAST(?6 AS BIGINT[])) AS r(e, d, i, p, v, t) "
                           "WHERE EXISTS (SELECT 1 FROM devices WHERE user_email = r.e AND "
                           "dash_id = r.d AND id = r.i) "
                           "ON CONFLICT (user_email, dash_id, device_id, pin) DO UPDATE SET "
                           "value = excluded.value, updated_at_ms = excluded.updated_at_ms",
                     "write pin values"),
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
                           "ELSE online END, last_seen_ms = CASE WHEN ?4 > last_seen_ms THEN ?4 "
                           "ELSE last_seen_ms END "
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
    Statement find_user;
    Statement insert_user;
    Statement update_admin;
    Statement delete_user;
    Statement update_password;
    Statement user_summaries;
    Statement count_dashboards;
    Statement lowest_dashboard;
    Statement dashboard_exists;
    Statement insert_dashboard;
    Statement update_dashboard;
    Statement delete_dashboard;
    Statement dashboard_devices;
    Statement count_devices;
    Statement token_exists;
    Statement insert_device;
    Statement device_token;
    Statement update_device;
    Statement delete_device;
    Statement update_token;
    Statement insert_provision;
    Statement all_users;
    Statement all_dashboards;
    Statement all_push_tokens;
    Statement upsert_push_token;
    Statement delete_push_tokens;
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

/// A row of kUserColumns: the account, without dashboards.
inline model::User read_user_row(const Statement& st) {
    model::User user;
    user.email = st.column_text(0);
    user.password_hash = st.column_text(1);
    user.created_at_ms = st.column_int64(2);
    user.password_kind = static_cast<model::PasswordKind>(st.column_int(3));
    user.admin = st.column_int(4) != 0;
    return user;
}

/// A row of kDeviceColumns.
inline DeviceRow read_device_row(const Statement& st) {
    DeviceRow row;
    row.email = st.column_text(0);
    row.dash_id = st.column_int(1);
    row.device.id = st.column_int(2);
    row.device.name = st.column_text(3);
    row.device.board_type = st.column_text(4);
    row.device.token = st.column_text(5);
    row.device.created_at_ms = st.column_int64(6);
    row.device.last_seen_ms = st.column_int64(7);
    row.device.online = st.column_int(8) != 0;
    row.device.extra = st.column_text(9);
    return row;
}

/// Binds (user_email, dash_id, device_id) to parameters 1..3.
inline void bind_device_key(Statement& st, std::string_view email, int dash_id, int device_id) {
    st.bind_text(1, email);
    st.bind_int(2, dash_id);
    st.bind_int(3, device_id);
}

}  // namespace blynk::store
