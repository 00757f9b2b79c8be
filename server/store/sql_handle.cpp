#include "server/store/sql_handle.hpp"

#include <spdlog/spdlog.h>

#include <mutex>
#include <utility>

#include "server/store/sql_backend.hpp"

namespace blynk::store {

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

bool is_postgres_location(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string redacted_location(const std::string& location) {
    // A password given as a query keyword (?password=) is not shown by libpq's messages, and
    // this leaves it: documented as the user-info form only.
    const size_t scheme = location.find("://");
    if (scheme == std::string::npos) return location;
    const size_t at = location.find('@', scheme + 3);
    const size_t slash = location.find('/', scheme + 3);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return location;
    const size_t colon = location.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return location;
    return location.substr(0, colon) + location.substr(at);
}

// ---------------------------------------------------------------------------------------------
// Database

Database::Database(const std::string& location) {
    if (is_postgres_location(location)) {
        dialect_ = Dialect::Postgres;
        path_ = redacted_location(location);
        impl_ = open_postgres(location, path_);
    } else {
        path_ = location;
        impl_ = open_sqlite(location);
    }
}

Database::~Database() = default;
Database::Database(Database&& other) noexcept = default;
Database& Database::operator=(Database&& other) noexcept = default;

void Database::exec(const std::string& sql, std::string_view purpose) {
    impl_->exec(sql, purpose);
}

sqlite3* Database::sqlite_handle() const noexcept {
    return impl_->sqlite_handle();
}

int64_t Database::changes() const noexcept {
    return impl_->changes();
}

bool Database::autocommit() const noexcept {
    return impl_->autocommit();
}

void Database::begin_read() {
    impl_->begin_read();
}

// ---------------------------------------------------------------------------------------------
// Statement

Statement::Statement(Database& db, std::string_view sql, std::string purpose)
    : purpose_(std::move(purpose)) {
    impl_ = db.impl().prepare(sql, purpose_);
}

Statement::~Statement() = default;

void Statement::bind_int(int index, int64_t value) {
    impl_->bind_int(index, value);
}
void Statement::bind_double(int index, double value) {
    impl_->bind_double(index, value);
}
void Statement::bind_text(int index, std::string_view value) {
    impl_->bind_text(index, value);
}
void Statement::bind_blob(int index, std::string_view value) {
    impl_->bind_blob(index, value);
}
void Statement::bind_null(int index) {
    impl_->bind_null(index);
}
bool Statement::step() {
    return impl_->step();
}
void Statement::run() {
    while (impl_->step()) {
    }
}
bool Statement::run_unless_orphan() {
    return impl_->run_unless_orphan();
}
int64_t Statement::column_int64(int index) const {
    return impl_->column_int64(index);
}
double Statement::column_double(int index) const {
    return impl_->column_double(index);
}
std::string Statement::column_text(int index) const {
    return impl_->column_text(index);
}
bool Statement::column_is_null(int index) const {
    return impl_->column_is_null(index);
}
void Statement::reset() noexcept {
    impl_->reset();
}

// ---------------------------------------------------------------------------------------------
// Transaction

Transaction::Transaction(Database& db) : db_(db) {
    db_.impl().begin_write();
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
    db_.impl().relax_durability(true);
}

SynchronousNormal::~SynchronousNormal() {
    try {
        db_.impl().relax_durability(false);
    } catch (const StoreError& e) {
        store_log()->error("{}", e.what());
    }
}

}  // namespace blynk::store
