#pragma once
// The SQL layer under the stores: a connection, a prepared statement and a write transaction, on
// SQLite (a file, or ":memory:") or PostgreSQL (a postgresql:// URL), chosen by the location given
// to Database. The stores write one SQL that both accept (numbered ?N parameters, ON CONFLICT
// upserts, RETURNING); the few differences are asked of Database::dialect(). None of these
// classes is thread-safe: each connection is used by one thread at a time.

#include <spdlog/logger.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

struct sqlite3;

namespace blynk::store {

class ConnectionImpl;
class StatementImpl;

/// The "store" logger, or spdlog's default logger while "store" is not registered (unit tests).
std::shared_ptr<spdlog::logger> store_log();

/// Any storage failure: the message names what we were doing, the engine's message and the
/// database.
class StoreError : public std::runtime_error {
public:
    /// `sqlite_code` is SQLite's extended result code, 0 when the error is ours (e.g. a duplicate)
    /// or PostgreSQL's; `sqlstate` PostgreSQL's SQLSTATE ("23505"), empty otherwise.
    explicit StoreError(const std::string& what, int sqlite_code = 0, std::string sqlstate = {})
        : std::runtime_error(what), sqlite_code_(sqlite_code), sqlstate_(std::move(sqlstate)) {}
    /// SQLite's extended result code (SQLITE_BUSY, SQLITE_FULL, ...), 0 when not from SQLite.
    int sqlite_code() const noexcept { return sqlite_code_; }
    /// PostgreSQL's SQLSTATE, empty when not from PostgreSQL.
    const std::string& sqlstate() const noexcept { return sqlstate_; }

private:
    int sqlite_code_;
    std::string sqlstate_;
};

/// Which engine a Database talks to.
enum class Dialect { Sqlite, Postgres };

/// True for a location that names a PostgreSQL database ("postgresql://..." or "postgres://...").
bool is_postgres_location(std::string_view location);
/// The location for messages: a URL without the password of its user info
/// ("postgresql://u:secret@h/db" -> "postgresql://u@h/db"); a file path as it is.
std::string redacted_location(const std::string& location);

/// One open connection, closed on destruction.
///
/// SQLite: the file at the location (created if missing) or a private in-memory database for
/// ":memory:"; busy timeout 5000 ms, extended result codes on.
/// PostgreSQL: a libpq connection to the URL (its keywords, e.g. connect_timeout, apply).
class Database {
public:
    /// Opens the location; throws StoreError.
    explicit Database(const std::string& location);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// The engine.
    Dialect dialect() const noexcept { return dialect_; }
    /// Runs one or more SQL statements without results; `purpose` goes into the error message.
    void exec(const std::string& sql, std::string_view purpose);
    /// The location given to the constructor, with a URL's password left out (for messages).
    const std::string& path() const noexcept { return path_; }
    /// SQLite's raw handle, for the online backup; nullptr on PostgreSQL.
    sqlite3* sqlite_handle() const noexcept;
    /// Rows changed by the last INSERT/UPDATE/DELETE run on this connection.
    int64_t changes() const noexcept;
    /// True outside an explicit transaction.
    bool autocommit() const noexcept;
    /// Begins a read-only transaction whose statements all see one snapshot; end it with
    /// exec("COMMIT").
    void begin_read();
    /// The engine's side of the connection.
    ConnectionImpl& impl() const noexcept { return *impl_; }

private:
    std::unique_ptr<ConnectionImpl> impl_;
    Dialect dialect_ = Dialect::Sqlite;
    std::string path_;
};

/// One prepared statement, released on destruction. Parameters are 1-based (?1, ?2, ... in the
/// SQL), columns 0-based. Text and blobs are copied on bind.
class Statement {
public:
    /// Prepares `sql` on `db` (which must outlive the statement); throws StoreError naming
    /// `purpose`.
    Statement(Database& db, std::string_view sql, std::string purpose);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    /// Binds a 64-bit integer to parameter `index` (1-based).
    void bind_int(int index, int64_t value);
    /// Binds a double (SQLite's REAL column stores an integral one as a small integer).
    void bind_double(int index, double value);
    /// Binds text; an empty view binds '' (not NULL).
    void bind_text(int index, std::string_view value);
    /// Binds bytes (a BLOB, a bytea), so embedded NUL bytes survive; an empty view binds zero
    /// bytes.
    void bind_blob(int index, std::string_view value);
    /// Binds NULL.
    void bind_null(int index);

    /// Runs one step: true when a row is available, false when done. Throws StoreError.
    bool step();
    /// Steps until done (for INSERT/UPDATE/DELETE).
    void run();
    /// Like run(), but a row whose parent is gone (a foreign-key violation, which undoes only this
    /// statement) returns false instead of throwing.
    bool run_unless_orphan();

    /// Column `index` (0-based) of the current row as an integer (a boolean as 0 or 1).
    int64_t column_int64(int index) const;
    /// Column `index` as a double.
    double column_double(int index) const;
    /// Column `index` as an int.
    int column_int(int index) const { return static_cast<int>(column_int64(index)); }
    /// Column `index` as bytes (text or blob, embedded NULs kept); empty for NULL.
    std::string column_text(int index) const;
    /// Same as column_text(), named for BLOB columns.
    std::string column_blob(int index) const { return column_text(index); }
    /// True when column `index` is NULL.
    bool column_is_null(int index) const;

    /// Resets the statement and clears its bindings so it can be reused; never throws.
    void reset() noexcept;
    /// What the statement is for (used in error messages).
    const std::string& purpose() const noexcept { return purpose_; }

private:
    std::unique_ptr<StatementImpl> impl_;
    std::string purpose_;
};

/// Resets a (cached) statement at scope exit, so it never keeps a read snapshot or lock open.
class StatementScope {
public:
    explicit StatementScope(Statement& s) noexcept : s_(s) {}
    ~StatementScope() { s_.reset(); }
    StatementScope(const StatementScope&) = delete;
    StatementScope& operator=(const StatementScope&) = delete;
    /// The statement.
    Statement& operator*() const noexcept { return s_; }
    /// The statement.
    Statement* operator->() const noexcept { return &s_; }

private:
    Statement& s_;
};

/// A write transaction: on construction it takes the database's write lock now, waiting up to
/// the busy timeout (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN and a transaction-level advisory
/// lock, so that checks made inside, such as the device limits, hold across processes and nodes
/// as they do with SQLite's single writer). Rolls back on destruction unless commit() succeeded.
class Transaction {
public:
    /// Begins; throws StoreError (e.g. SQLITE_BUSY after the timeout).
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    /// Commits; throws StoreError (the destructor then rolls back).
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

/// Relaxed durability for its lifetime, then the connection's setting again (SQLite:
/// synchronous=NORMAL instead of FULL; PostgreSQL: synchronous_commit=off): for write-behind
/// batches whose loss in a power cut costs at most their own values.
class SynchronousNormal {
public:
    /// Throws StoreError.
    explicit SynchronousNormal(Database& db);
    ~SynchronousNormal();
    SynchronousNormal(const SynchronousNormal&) = delete;
    SynchronousNormal& operator=(const SynchronousNormal&) = delete;

private:
    Database& db_;
};

}  // namespace blynk::store
