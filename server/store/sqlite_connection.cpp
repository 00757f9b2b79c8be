// The SQLite engine of the SQL layer (sql_backend.hpp).

#include <sqlite3.h>

#include <utility>

#include "server/store/sql_backend.hpp"

namespace blynk::store {

namespace {

constexpr int kBusyTimeoutMs = 5000;

// SQLite treats a null data pointer as NULL; an empty value must stay an empty value.
const char* non_null(std::string_view v) {
    return v.data() != nullptr ? v.data() : "";
}

class SqliteConnection final : public ConnectionImpl {
public:
    explicit SqliteConnection(const std::string& path) : path_(path) {
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
        const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            db_ = nullptr;
            throw StoreError("open database " + path + ": " + msg, rc);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    }
    ~SqliteConnection() override { sqlite3_close_v2(db_); }
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    void exec(const std::string& sql, std::string_view purpose) override {
        char* err = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            throw StoreError(std::string(purpose) + ": " + msg + " (db " + path_ + ")",
                             sqlite3_extended_errcode(db_));
        }
    }
    std::unique_ptr<StatementImpl> prepare(std::string_view sql,
                                           const std::string& purpose) override;
    int64_t changes() const noexcept override { return sqlite3_changes64(db_); }
    bool autocommit() const noexcept override { return sqlite3_get_autocommit(db_) != 0; }
    void begin_write() override { exec("BEGIN IMMEDIATE", "begin transaction"); }
    // Deferred: the snapshot is taken by the first read.
    void begin_read() override { exec("BEGIN", "begin read transaction"); }
    void relax_durability(bool relaxed) override {
        exec(relaxed ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL",
             relaxed ? "set synchronous=NORMAL" : "set synchronous=FULL");
    }
    sqlite3* sqlite_handle() const noexcept override { return db_; }

    /// "purpose: message (db PATH)" with the connection's current error.
    StoreError error(std::string_view purpose, int code) const {
        return StoreError(std::string(purpose) + ": " + sqlite3_errmsg(db_) + " (db " + path_ + ")",
                          code);
    }

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

class SqliteStatement final : public StatementImpl {
public:
    SqliteStatement(SqliteConnection& db, std::string_view sql, const std::string& purpose)
        : db_(db), purpose_(purpose) {
        const int rc =
            sqlite3_prepare_v3(db.sqlite_handle(), sql.data(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
        if (rc != SQLITE_OK) {
            throw db.error("prepare " + purpose_, sqlite3_extended_errcode(db.sqlite_handle()));
        }
    }
    ~SqliteStatement() override { sqlite3_finalize(stmt_); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    void bind_int(int index, int64_t value) override {
        check_bind(sqlite3_bind_int64(stmt_, index, value));
    }
    void bind_double(int index, double value) override {
        check_bind(sqlite3_bind_double(stmt_, index, value));
    }
    void bind_text(int index, std::string_view value) override {
        check_bind(sqlite3_bind_text64(stmt_, index, non_null(value), value.size(),
                                       SQLITE_TRANSIENT, SQLITE_UTF8));
    }
    void bind_blob(int index, std::string_view value) override {
        check_bind(
            sqlite3_bind_blob64(stmt_, index, non_null(value), value.size(), SQLITE_TRANSIENT));
    }
    void bind_null(int index) override { check_bind(sqlite3_bind_null(stmt_, index)); }

    bool step() override {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw db_.error(purpose_, sqlite3_extended_errcode(db_.sqlite_handle()));
    }
    bool run_unless_orphan() override {
        for (;;) {
            const int rc = sqlite3_step(stmt_);
            if (rc == SQLITE_ROW) continue;
            if (rc == SQLITE_DONE) return true;
            const int code = sqlite3_extended_errcode(db_.sqlite_handle());
            if (code == SQLITE_CONSTRAINT_FOREIGNKEY) return false;
            throw db_.error(purpose_, code);
        }
    }

    int64_t column_int64(int index) const override { return sqlite3_column_int64(stmt_, index); }
    double column_double(int index) const override { return sqlite3_column_double(stmt_, index); }
    std::string column_text(int index) const override {
        // column_blob() returns the bytes of TEXT values too, without NUL-termination concerns.
        const void* data = sqlite3_column_blob(stmt_, index);
        const int size = sqlite3_column_bytes(stmt_, index);
        if (data == nullptr || size <= 0) return {};
        return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
    }
    bool column_is_null(int index) const override {
        return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
    }
    void reset() noexcept override {
        // The return value repeats the last step's error, which was already reported.
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

private:
    void check_bind(int rc) {
        if (rc != SQLITE_OK) throw db_.error("bind " + purpose_, rc);
    }

    SqliteConnection& db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string purpose_;
};

std::unique_ptr<StatementImpl> SqliteConnection::prepare(std::string_view sql,
                                                         const std::string& purpose) {
    return std::make_unique<SqliteStatement>(*this, sql, purpose);
}

}  // namespace

std::unique_ptr<ConnectionImpl> open_sqlite(const std::string& path) {
    return std::make_unique<SqliteConnection>(path);
}

}  // namespace blynk::store
