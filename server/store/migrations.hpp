#pragma once
// Numbered schema migrations, the same numbers for SQLite (tracked with PRAGMA user_version) and
// PostgreSQL (in the table blynkd_schema). Migrations are append-only: a released version's SQL
// never changes; a schema change is a new entry with the next number, in both dialects.

#include <span>

#include "server/store/sql_handle.hpp"

namespace blynk::store {

/// One schema step: the SQL that brings the schema from `version - 1` to `version`.
struct Migration {
    int version;
    const char* sqlite_sql;
    const char* postgres_sql;
};

/// Every migration, in order (versions 1, 2, ... without gaps).
std::span<const Migration> migrations();

/// The newest schema version this code knows.
int latest_schema_version();

/// The database's schema version (0 for a new database).
int schema_version(Database& db);

/// Per-connection settings of SQLite: journal_mode=WAL (file databases), synchronous=FULL
/// (acknowledged provisioning survives a power cut; pin batches lower it for their own
/// transaction), foreign_keys=ON. Must run outside a transaction. Nothing on PostgreSQL.
void configure_connection(Database& db);

/// Applies the missing migrations in one transaction (holding the write lock, so two processes
/// opening the same new database do not both migrate). Throws StoreError when the database's
/// schema version is newer than latest_schema_version() (written by a newer blynkd) or a migration
/// fails.
void migrate(Database& db);

/// configure_connection() then migrate(): what every Store does on open.
void open_schema(Database& db);

}  // namespace blynk::store
