#include "server/store/sqlite_handle.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <mutex>
#include <utility>

namespace blynk::store {

namespace {

constexpr int kBusyTimeoutMs = 5000;

// SQLite treats a null data pointer as NULL; an empty value must stay an empty value.
const char* non_null(std::string_view v) {
    return v.data() != nullptr ? v.data() : "";
}

}  // namespace

std::shared_ptr<spdlog::logger> store_log() {
    // Cache only once the application has registered "store"; until then follow the default.
    static std::shared_ptr<spdlog::logger> cached;
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (cached) return cached;
    if (auto logger = spdlog::get("store")) {
        cached = logger;
        return logger;
    }
    return spdlog::default_logger();
}

// ---------------------------------------------------------------------------------------------
// Database

Database::Database(const std::string& path) : path_(path) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw StoreError("open database " + path + ": " + msg, rc);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
}

Database::~Database() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (db_ != nullptr) sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

void Database::exec(const std::string& sql, std::string_view purpose) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw StoreError(std::string(purpose) + ": " + msg + " (db " + path_ + ")",
                         sqlite3_extended_errcode(db_));
    }
}

int64_t Database::last_insert_rowid() const noexcept {
    return sqlite3_last_insert_rowid(db_);
}

int64_t Database::changes() const noexcept {
    return sqlite3_changes64(db_);
}

bool Database::autocommit() const noexcept {
    return sqlite3_get_autocommit(db_) != 0;
}

StoreError Database::error(std::string_view purpose, int code) const {
    return StoreError(std::string(purpose) + ": " + sqlite3_errmsg(db_) + " (db " + path_ + ")",
                      code);
}

// ---------------------------------------------------------------------------------------------
// Statement

Statement::Statement(Database& db, std::string_view sql, std::string purpose)
    : db_(&db), purpose_(std::move(purpose)) {
    int rc = sqlite3_prepare_v3(db.get(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        throw db.error("prepare " + purpose_, sqlite3_extended_errcode(db.get()));
    }
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

void Statement::bind_int(int index, int64_t value) {
    int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) throw db_->error("bind " + purpose_, rc);
}

void Statement::bind_double(int index, double value) {
    int rc = sqlite3_bind_double(stmt_, index, value);
    if (rc != SQLITE_OK) throw db_->error("bind " + purpose_, rc);
}

void Statement::bind_text(int index, std::string_view value) {
    int rc = sqlite3_bind_text64(stmt_, index, non_null(value), value.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8);
    if (rc != SQLITE_OK) throw db_->error("bind " + purpose_, rc);
}

void Statement::bind_blob(int index, std::string_view value) {
    int rc = sqlite3_bind_blob64(stmt_, index, non_null(value), value.size(), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throw db_->error("bind " + purpose_, rc);
}

void Statement::bind_null(int index) {
    int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) throw db_->error("bind " + purpose_, rc);
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw db_->error(purpose_, sqlite3_extended_errcode(db_->get()));
}

void Statement::run() {
    while (step()) {
    }
}

bool Statement::run_unless_orphan() {
    for (;;) {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) continue;
        if (rc == SQLITE_DONE) return true;
        const int code = sqlite3_extended_errcode(db_->get());
        if (code == SQLITE_CONSTRAINT_FOREIGNKEY) return false;
        throw db_->error(purpose_, code);
    }
}

int64_t Statement::column_int64(int index) const {
    return sqlite3_column_int64(stmt_, index);
}

double Statement::column_double(int index) const {
    return sqlite3_column_double(stmt_, index);
}

int Statement::column_int(int index) const {
    return sqlite3_column_int(stmt_, index);
}

std::string Statement::column_text(int index) const {
    // column_blob() returns the bytes of TEXT values too, without NUL-termination concerns.
    const void* data = sqlite3_column_blob(stmt_, index);
    int size = sqlite3_column_bytes(stmt_, index);
    if (data == nullptr || size <= 0) return {};
    return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

bool Statement::column_is_null(int index) const {
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

void Statement::reset() noexcept {
    // The return value repeats the last step's error, which was already reported.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

// ---------------------------------------------------------------------------------------------
// Transaction

Transaction::Transaction(Database& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE", "begin transaction");
}

Transaction::~Transaction() {
    // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL).
    if (done_ || db_.autocommit()) return;
    try {
        db_.exec("ROLLBACK", "roll back transaction");
    } catch (const StoreError& e) {
        store_log()->error("{}", e.what());
    }
}

void Transaction::commit() {
    db_.exec("COMMIT", "commit transaction");
    done_ = true;
}

// ---------------------------------------------------------------------------------------------
// SynchronousNormal

SynchronousNormal::SynchronousNormal(Database& db) : db_(db) {
    db_.exec("PRAGMA synchronous=NORMAL", "set synchronous=NORMAL");
}

SynchronousNormal::~SynchronousNormal() {
    try {
        db_.exec("PRAGMA synchronous=FULL", "set synchronous=FULL");
    } catch (const StoreError& e) {
        store_log()->error("{}", e.what());
    }
}

}  // namespace blynk::store
