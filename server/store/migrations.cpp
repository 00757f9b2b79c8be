#include "server/store/migrations.hpp"

#include <array>
#include <string>

#include "server/store/migrations_postgres.hpp"

namespace blynk::store {

namespace {

// Version 1: users own dashboards, dashboards own devices, devices own pin values, properties and
// events (all ON DELETE CASCADE). provision_log has no foreign keys: it records history that
// other processes read after the fact (the server polls it for CLI-made changes).
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE users (
    email         TEXT    NOT NULL PRIMARY KEY,
    password_hash TEXT    NOT NULL DEFAULT '',
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE dashboards (
    user_email TEXT    NOT NULL REFERENCES users(email) ON DELETE CASCADE,
    id         INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    PRIMARY KEY (user_email, id)
);

CREATE TABLE devices (
    user_email    TEXT    NOT NULL,
    dash_id       INTEGER NOT NULL,
    id            INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    board_type    TEXT    NOT NULL,
    token         TEXT    NOT NULL UNIQUE,
    created_at_ms INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL DEFAULT 0,
    online        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_email, dash_id, id),
    FOREIGN KEY (user_email, dash_id) REFERENCES dashboards(user_email, id) ON DELETE CASCADE
);

-- pin is PinKey::str() ("v5", "d13"); value is a BLOB because multi-values are NUL-joined.
CREATE TABLE pin_values (
    user_email    TEXT    NOT NULL,
    dash_id       INTEGER NOT NULL,
    device_id     INTEGER NOT NULL,
    pin           TEXT    NOT NULL,
    value         BLOB    NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (user_email, dash_id, device_id, pin),
    FOREIGN KEY (user_email, dash_id, device_id)
        REFERENCES devices(user_email, dash_id, id) ON DELETE CASCADE
);

-- pin is the virtual pin number (properties exist for virtual pins only).
CREATE TABLE pin_properties (
    user_email TEXT    NOT NULL,
    dash_id    INTEGER NOT NULL,
    device_id  INTEGER NOT NULL,
    pin        INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    value      BLOB    NOT NULL,
    PRIMARY KEY (user_email, dash_id, device_id, pin, name),
    FOREIGN KEY (user_email, dash_id, device_id)
        REFERENCES devices(user_email, dash_id, id) ON DELETE CASCADE
);

CREATE TABLE device_events (
    id          INTEGER PRIMARY KEY,
    user_email  TEXT    NOT NULL,
    dash_id     INTEGER NOT NULL,
    device_id   INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    time_ms     INTEGER NOT NULL,
    FOREIGN KEY (user_email, dash_id, device_id)
        REFERENCES devices(user_email, dash_id, id) ON DELETE CASCADE
);
CREATE INDEX device_events_by_device ON device_events (user_email, dash_id, device_id, time_ms);

CREATE TABLE provision_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL,
    user_email TEXT    NOT NULL,
    dash_id    INTEGER NOT NULL DEFAULT 0,
    device_id  INTEGER NOT NULL DEFAULT 0,
    token      TEXT    NOT NULL DEFAULT '',
    old_token  TEXT    NOT NULL DEFAULT '',
    time_ms    INTEGER NOT NULL
);
)sql";

// Version 2: what the mobile app keeps. password_kind is model::PasswordKind; the hashes written
// by version 1 (the CLI's PBKDF2 of the clear password) become Clear. A dashboard's settings and
// a device's extra are JSON objects and widgets a JSON array, all stored as the app sent them.
constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE users ADD COLUMN password_kind INTEGER NOT NULL DEFAULT 0;
UPDATE users SET password_kind = 1 WHERE password_hash <> '';

ALTER TABLE dashboards ADD COLUMN created_at_ms        INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dashboards ADD COLUMN updated_at_ms        INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dashboards ADD COLUMN is_active            INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dashboards ADD COLUMN is_app_connected_on  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dashboards ADD COLUMN is_notifications_off INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dashboards ADD COLUMN is_shared            INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dashboards ADD COLUMN share_token          TEXT    NOT NULL DEFAULT '';
ALTER TABLE dashboards ADD COLUMN settings             TEXT    NOT NULL DEFAULT '{}';
ALTER TABLE dashboards ADD COLUMN widgets              TEXT    NOT NULL DEFAULT '[]';

ALTER TABLE devices ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';

CREATE TABLE push_tokens (
    user_email TEXT    NOT NULL,
    dash_id    INTEGER NOT NULL,
    uid        TEXT    NOT NULL,
    token      TEXT    NOT NULL,
    os         TEXT    NOT NULL,
    PRIMARY KEY (user_email, dash_id, uid),
    FOREIGN KEY (user_email, dash_id) REFERENCES dashboards(user_email, id) ON DELETE CASCADE
);
)sql";

// Version 3: administrators (the web console's admin view).
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 4: history of pin values (server/store/history_store.hpp). A series is one pin of one
// device, with an integer id so that every point row carries 1-3 bytes of key instead of the
// e-mail; ids are never reused (AUTOINCREMENT), so points of a deleted series can be purged later
// in small steps (history_purge, filled by the trigger, also on cascades from devices). Point
// tables are WITHOUT ROWID, keyed (series, time_ms[, seq]): one b-tree, no separate index, and a
// pin's range is one contiguous scan. seq tells apart points written in the same millisecond
// (0, stored in no bytes, almost always). REAL columns store integral values as small integers.
// history_progress holds how far each aggregate level is complete (rollup watermarks).
// device_events_by_time lets the event log's retention delete the oldest events in order.
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE history_series (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_email TEXT    NOT NULL,
    dash_id    INTEGER NOT NULL,
    device_id  INTEGER NOT NULL,
    pin        TEXT    NOT NULL,
    points     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_email, dash_id, device_id, pin),
    FOREIGN KEY (user_email, dash_id, device_id)
        REFERENCES devices(user_email, dash_id, id) ON DELETE CASCADE
);

CREATE TABLE history_purge (series INTEGER PRIMARY KEY);
CREATE TRIGGER history_series_deleted AFTER DELETE ON history_series BEGIN
    INSERT OR IGNORE INTO history_purge (series) VALUES (old.id);
END;

CREATE TABLE history_raw (
    series  INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    value   REAL    NOT NULL,
    PRIMARY KEY (series, time_ms, seq)
) WITHOUT ROWID;

CREATE TABLE history_minute (
    series  INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    value   REAL    NOT NULL,
    min     REAL    NOT NULL,
    max     REAL    NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (series, time_ms)
) WITHOUT ROWID;
CREATE TABLE history_hour (
    series  INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    value   REAL    NOT NULL,
    min     REAL    NOT NULL,
    max     REAL    NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (series, time_ms)
) WITHOUT ROWID;
CREATE TABLE history_day (
    series  INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    value   REAL    NOT NULL,
    min     REAL    NOT NULL,
    max     REAL    NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (series, time_ms)
) WITHOUT ROWID;

CREATE TABLE history_progress (
    level   INTEGER NOT NULL PRIMARY KEY,
    done_ms INTEGER NOT NULL
);

CREATE INDEX device_events_by_time ON device_events (time_ms);
)sql";

// Version 5: what the automation (Timer widgets, Eventor time rules) last handled, per group:
// a restart neither repeats a slot nor forgets one missed while the server was down.
constexpr const char* kSchemaV5 = R"sql(
CREATE TABLE automation_marks (
    user_email    TEXT    NOT NULL,
    dash_id       INTEGER NOT NULL,
    widget_id     INTEGER NOT NULL,
    rule          INTEGER NOT NULL,
    signature     TEXT    NOT NULL,
    occurrence_ms INTEGER NOT NULL,
    PRIMARY KEY (user_email, dash_id, widget_id, rule),
    FOREIGN KEY (user_email, dash_id) REFERENCES dashboards(user_email, id) ON DELETE CASCADE
);
)sql";

constexpr std::array kMigrations{
    Migration{1, kSchemaV1, kPostgresV1}, Migration{2, kSchemaV2, kPostgresV2},
    Migration{3, kSchemaV3, kPostgresV3}, Migration{4, kSchemaV4, kPostgresV4},
    Migration{5, kSchemaV5, kPostgresV5},
};

int64_t pragma_int(Database& db, const char* sql, const char* purpose) {
    Statement st(db, sql, purpose);
    return st.step() ? st.column_int64(0) : 0;
}

}  // namespace

std::span<const Migration> migrations() {
    return kMigrations;
}

int latest_schema_version() {
    return kMigrations.back().version;
}

int schema_version(Database& db) {
    if (db.dialect() == Dialect::Sqlite) {
        return static_cast<int>(pragma_int(db, "PRAGMA user_version", "read schema version"));
    }
    if (pragma_int(db, "SELECT to_regclass('blynkd_schema') IS NOT NULL", "find schema version") ==
        0) {
        return 0;
    }
    return static_cast<int>(
        pragma_int(db, "SELECT version FROM blynkd_schema", "read schema version"));
}

void configure_connection(Database& db) {
    // PostgreSQL: foreign keys are always on, and a commit is durable by default.
    if (db.dialect() == Dialect::Postgres) return;
    {
        Statement st(db, "PRAGMA journal_mode=WAL", "set journal_mode=WAL");
        std::string mode = st.step() ? st.column_text(0) : std::string();
        // In-memory databases answer "memory"; a file that cannot use WAL (e.g. some network
        // filesystems) keeps working in its old mode, but readers then block the writer.
        if (mode != "wal" && db.path() != ":memory:" && !db.path().empty()) {
            store_log()->warn("database {}: journal_mode is {}, not wal", db.path(), mode);
        }
    }
    // FULL: a commit is on disk before it returns, so an acknowledged provisioning change
    // survives a power cut, not only a crash (with NORMAL, WAL commits are synced only at
    // checkpoints). The frequent pin batches switch to NORMAL (Store::write_batch).
    db.exec("PRAGMA synchronous=FULL", "set synchronous=FULL");
    db.exec("PRAGMA foreign_keys=ON", "enable foreign keys");
}

void migrate(Database& db) {
    auto refuse_newer = [&](int found) {
        if (found > latest_schema_version()) {
            throw StoreError("database " + db.path() + " has schema version " +
                             std::to_string(found) + " but this blynkd knows only up to " +
                             std::to_string(latest_schema_version()) +
                             "; it was written by a newer blynkd: upgrade blynkd or restore a "
                             "backup");
        }
    };
    int found = schema_version(db);
    refuse_newer(found);
    if (found == latest_schema_version()) return;

    const bool postgres = db.dialect() == Dialect::Postgres;
    Transaction tx(db);
    found = schema_version(db);  // another process may have migrated while we waited
    refuse_newer(found);
    if (found == latest_schema_version()) return;
    for (const Migration& m : kMigrations) {
        if (m.version <= found) continue;
        const std::string step = std::to_string(m.version);
        db.exec(postgres ? m.postgres_sql : m.sqlite_sql, "apply schema migration " + step);
        db.exec(postgres ? "UPDATE blynkd_schema SET version = " + step
                         : "PRAGMA user_version = " + step,
                "set schema version " + step);
    }
    tx.commit();
    store_log()->info("database {}: schema migrated from version {} to {}", db.path(), found,
                      latest_schema_version());
}

void open_schema(Database& db) {
    configure_connection(db);
    migrate(db);
}

}  // namespace blynk::store
