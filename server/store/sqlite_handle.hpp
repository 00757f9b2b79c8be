#pragma once
// RAII wrappers over the SQLite C API: a connection, a prepared statement and a write transaction.
// None of them is thread-safe: each connection is used by one thread at a time.

#include <spdlog/logger.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace blynk::store {

/// The "store" logger, or spdlog's default logger while "store" is not registered (unit tests).
std::shared_ptr<spdlog::logger> store_log();

/// Any storage failure: the message names what we were doing, SQLite's message and the database.
class StoreError : public std::runtime_error {
public:
    /// `sqlite_code` is SQLite's extended result code, 0 when the error is ours (e.g. a duplicate).
    explicit StoreError(const std::string& what, int sqlite_code = 0)
        : std::runtime_error(what), sqlite_code_(sqlite_code) {}
    /// SQLite's extended result code (SQLITE_BUSY, SQLITE_FULL, ...), 0 when not from SQLite.
    int sqlite_code() const noexcept { return sqlite_code_; }

private:
    int sqlite_code_;
};

/// One open connection (`sqlite3*`), closed on destruction. Busy timeout 5000 ms, extended
/// result codes on.
class Database {
public:
    /// Opens (creating if missing) the file at `path`, or a private in-memory database for
    /// ":memory:". Throws StoreError.
    explicit Database(const std::string& path);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs one or more SQL statements without results; `purpose` goes into the error message.
    void exec(const std::string& sql, std::string_view purpose);
    /// The path given to the constructor (":memory:" for in-memory databases).
    const std::string& path() const noexcept { return path_; }
    /// The raw handle, for the Statement wrapper and pragmas.
    sqlite3* get() const noexcept { return db_; }
    /// Rowid of the last successful INSERT on this connection.
    int64_t last_insert_rowid() const noexcept;
    /// Rows changed by the last INSERT/UPDATE/DELETE on this connection.
    int64_t changes() const noexcept;
    /// True outside an explicit transaction.
    bool autocommit() const noexcept;
    /// A StoreError for the connection's current error: "purpose: message (db PATH)".
    StoreError error(std::string_view purpose, int code) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

/// One prepared statement (`sqlite3_stmt*`), finalized on destruction. Parameters are 1-based,
/// columns 0-based, as in SQLite. Text and blobs are copied on bind (SQLITE_TRANSIENT).
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
    /// Binds a double (a REAL column stores an integral one as a small integer).
    void bind_double(int index, double value);
    /// Binds text (stored as TEXT); an empty view binds '' (not NULL).
    void bind_text(int index, std::string_view value);
    /// Binds bytes as a BLOB, so embedded NUL bytes survive; an empty view binds a zero-length
    /// blob.
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

    /// Column `index` (0-based) of the current row as an integer.
    int64_t column_int64(int index) const;
    /// Column `index` as a double.
    double column_double(int index) const;
    /// Column `index` as an int.
    int column_int(int index) const;
    /// Column `index` as bytes (TEXT or BLOB, embedded NULs kept); empty for NULL.
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
    Database* db_;
    sqlite3_stmt* stmt_ = nullptr;
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

/// BEGIN IMMEDIATE on construction (takes the write lock now, waiting up to the busy timeout);
/// ROLLBACK on destruction unless commit() succeeded.
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

/// PRAGMA synchronous=NORMAL for its lifetime, then FULL again (the connection's setting): for
/// write-behind batches whose loss in a power cut costs at most their own values.
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
