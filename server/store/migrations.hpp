#pragma once
// Numbered schema migrations, tracked with PRAGMA user_version. Migrations are append-only: a
// released version's SQL never changes; a schema change is a new entry with the next number.

#include <span>

#include "server/store/sqlite_handle.hpp"

namespace blynk::store {

/// One schema step: the SQL that brings user_version from `version - 1` to `version`.
struct Migration {
    int version;
    const char* sql;
};

/// Every migration, in order (versions 1, 2, ... without gaps).
std::span<const Migration> migrations();

/// The newest schema version this code knows.
int latest_schema_version();

/// The database's PRAGMA user_version (0 for a new file).
int schema_version(Database& db);

/// Per-connection settings: journal_mode=WAL (file databases), synchronous=FULL (acknowledged
/// provisioning survives a power cut; pin batches lower it for their own transaction),
/// foreign_keys=ON. Must run outside a transaction.
void configure_connection(Database& db);

/// Applies the missing migrations in one transaction (BEGIN IMMEDIATE, so two processes opening
/// the same new file do not both migrate). Throws StoreError when the database's user_version is
/// newer than latest_schema_version() (written by a newer blynkd) or a migration fails.
void migrate(Database& db);

/// configure_connection() then migrate(): what every SqliteStore does on open.
void open_schema(Database& db);

}  // namespace blynk::store
