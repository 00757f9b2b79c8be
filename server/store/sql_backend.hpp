#pragma once
// Internal to the SQL layer (sql_handle.hpp): what each engine implements. Database, Statement and
// Transaction hold one of these and forward to it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "server/store/sql_handle.hpp"

namespace blynk::store {

class StatementImpl {
public:
    virtual ~StatementImpl() = default;
    virtual void bind_int(int index, int64_t value) = 0;
    virtual void bind_double(int index, double value) = 0;
    virtual void bind_text(int index, std::string_view value) = 0;
    virtual void bind_blob(int index, std::string_view value) = 0;
    virtual void bind_null(int index) = 0;
    /// True when a row is available, false when done.
    virtual bool step() = 0;
    /// Runs to the end; false when a foreign key failed (and only this statement was undone).
    virtual bool run_unless_orphan() = 0;
    virtual int64_t column_int64(int index) const = 0;
    virtual double column_double(int index) const = 0;
    virtual std::string column_text(int index) const = 0;
    virtual bool column_is_null(int index) const = 0;
    virtual void reset() noexcept = 0;
};

class ConnectionImpl {
public:
    virtual ~ConnectionImpl() = default;
    virtual void exec(const std::string& sql, std::string_view purpose) = 0;
    virtual std::unique_ptr<StatementImpl> prepare(std::string_view sql,
                                                   const std::string& purpose) = 0;
    virtual int64_t changes() const noexcept = 0;
    virtual bool autocommit() const noexcept = 0;
    /// Begins a transaction holding the database's write lock.
    virtual void begin_write() = 0;
    /// Begins a transaction that reads one snapshot of the database.
    virtual void begin_read() = 0;
    /// Lowers (true) or restores (false) the durability of commits.
    virtual void relax_durability(bool relaxed) = 0;
    virtual sqlite3* sqlite_handle() const noexcept { return nullptr; }
};

/// The engines: `path` is a file or ":memory:"; `url` a PostgreSQL connection URL and `shown`
/// the same without its password, for messages.
std::unique_ptr<ConnectionImpl> open_sqlite(const std::string& path);
std::unique_ptr<ConnectionImpl> open_postgres(const std::string& url, const std::string& shown);

}  // namespace blynk::store
