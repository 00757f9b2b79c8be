// The PostgreSQL engine of the SQL layer (sql_backend.hpp), on libpq.
//
// Statements are prepared on the server at their first run, with the parameter types of that
// run's bindings (int8, float8, text, bytea): PostgreSQL must know them at prepare time, and
// INSERT ... SELECT ?1 would otherwise take them as text. Results come as text (bytea as \x hex).
// A connection that broke (the server restarted) is re-established before the next statement
// outside a transaction, and statements prepare themselves again on it.

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "server/store/sql_backend.hpp"

namespace blynk::store {

namespace {

// PostgreSQL's type OIDs (pg_type.dat) for the parameter kinds we bind.
constexpr Oid kInt8 = 20;
constexpr Oid kFloat8 = 701;
constexpr Oid kText = 25;
constexpr Oid kBytea = 17;
constexpr Oid kBool = 16;

// pg_advisory_xact_lock key of Transaction: blynkd's one write lock ("blynkd" in ASCII,
// 0x626c796e6b64).
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(108218033269604)";
// SQLSTATE foreign_key_violation.
constexpr std::string_view kForeignKeyViolation = "23503";

struct ResultDeleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed(const char* message) {
    std::string m = message != nullptr ? message : "";
    while (!m.empty() && (m.back() == '\n' || m.back() == ' '))
        m.pop_back();
    return m;
}

/// "?N" (and SQLite's bare "?", the previous highest number + 1) as "$N", outside quoted text;
/// `count` gets the highest parameter number.
std::string numbered_parameters(std::string_view sql, int& count) {
    std::string out;
    out.reserve(sql.size() + 8);
    count = 0;
    char quote = 0;
    for (size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote != 0) {
            if (c == quote) quote = 0;
            out += c;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            out += c;
            continue;
        }
        if (c != '?') {
            out += c;
            continue;
        }
        size_t end = i + 1;
        while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9')
            ++end;
        int n = count + 1;
        if (end > i + 1) std::from_chars(sql.data() + i + 1, sql.data() + end, n);
        count = std::max(count, n);
        out += '$';
        out += std::to_string(n);
        i = end - 1;
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
}

/// bytea's text output ("\x0a0b...") as bytes.
std::string unhex_bytea(const char* text, size_t size) {
    if (size < 2 || text[0] != '\\' || text[1] != 'x') return std::string(text, size);
    std::string out;
    out.reserve((size - 2) / 2);
    for (size_t i = 2; i + 1 < size; i += 2)
        out += static_cast<char>(hex_digit(text[i]) * 16 + hex_digit(text[i + 1]));
    return out;
}

void log_notice(void*, const char* message) {
    store_log()->debug("postgresql: {}", trimmed(message));
}

class PostgresConnection final : public ConnectionImpl {
public:
    PostgresConnection(const std::string& url, const std::string& shown) : shown_(shown) {
        conn_ = PQconnectdb(url.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) {
            const std::string message = trimmed(PQerrorMessage(conn_));
            PQfinish(conn_);
            conn_ = nullptr;
            throw StoreError("open database " + shown + ": " + message);
        }
        configure();
    }
    ~PostgresConnection() override { PQfinish(conn_); }
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    void exec(const std::string& sql, std::string_view purpose) override {
        ensure_connected(purpose);
        Result r(PQexec(conn_, sql.c_str()));
        check(r.get(), purpose);
    }
    std::unique_ptr<StatementImpl> prepare(std::string_view sql,
                                           const std::string& purpose) override;
    int64_t changes() const noexcept override { return changes_; }
    bool autocommit() const noexcept override {
        // A lost connection has no transaction left to end.
        const PGTransactionStatusType s = PQtransactionStatus(conn_);
        return s == PQTRANS_IDLE || s == PQTRANS_UNKNOWN;
    }
    void begin_write() override {
        exec("BEGIN", "begin transaction");
        try {
            exec(kWriteLock, "take the write lock");
        } catch (const StoreError&) {
            // No Transaction object exists to end it: a lock timeout must not leave it open.
            PQclear(PQexec(conn_, "ROLLBACK"));
            throw;
        }
    }
    void begin_read() override {
        exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "begin read transaction");
    }
    void relax_durability(bool relaxed) override {
        exec(relaxed ? "SET synchronous_commit = off" : "SET synchronous_commit = on",
             "set synchronous_commit");
    }

    PGconn* get() const noexcept { return conn_; }
    /// Bumped on every reconnect: statements prepared before are gone from the server.
    uint64_t generation() const noexcept { return generation_; }
    std::string next_statement_name() { return "blynkd_" + std::to_string(++statements_); }
    bool in_transaction() const noexcept { return !autocommit(); }

    /// Reconnects a broken connection outside a transaction; throws StoreError when it cannot.
    void ensure_connected(std::string_view purpose) {
        if (PQstatus(conn_) == CONNECTION_OK) return;
        PQreset(conn_);
        if (PQstatus(conn_) != CONNECTION_OK) {
            throw StoreError(std::string(purpose) + ": connection lost: " +
                                 trimmed(PQerrorMessage(conn_)) + " (db " + shown_ + ")",
                             0, "08006");
        }
        ++generation_;
        configure();
        store_log()->warn("database {}: reconnected", shown_);
    }

    /// Throws StoreError unless `r` is a success; records the rows a command changed.
    void check(PGresult* r, std::string_view purpose) {
        const ExecStatusType status = PQresultStatus(r);
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            // Like SQLite's changes(): only row-changing commands count (not SELECT, SAVEPOINT).
            const std::string_view command = PQcmdStatus(r);
            if (command.starts_with("INSERT") || command.starts_with("UPDATE") ||
                command.starts_with("DELETE") || command.starts_with("MERGE")) {
                changes_ = std::atoll(PQcmdTuples(r));
            }
            return;
        }
        const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        const std::string message =
            r != nullptr ? trimmed(PQresultErrorMessage(r)) : trimmed(PQerrorMessage(conn_));
        throw StoreError(std::string(purpose) + ": " + message + " (db " + shown_ + ")", 0,
                         state != nullptr ? state : "");
    }

private:
    void configure() {
        PQsetNoticeProcessor(conn_, log_notice, nullptr);
        // SQLite's busy timeout, for the write lock and row locks alike.
        Result r(PQexec(conn_, "SET lock_timeout = 5000; SET client_min_messages = warning"));
        check(r.get(), "configure the connection");
    }

    PGconn* conn_ = nullptr;
    std::string shown_;
    int64_t changes_ = 0;
    uint64_t generation_ = 0;
    uint64_t statements_ = 0;
};

class PostgresStatement final : public StatementImpl {
public:
    PostgresStatement(PostgresConnection& db, std::string_view sql, const std::string& purpose)
        : db_(db), purpose_(purpose), sql_(numbered_parameters(sql, count_)) {
        clear();
    }
    ~PostgresStatement() override {
        // Prepared statements live as long as the session; one made for a single use is
        // released, unless the transaction is failed (the next reconnect drops it anyway).
        if (prepared_in_ == db_.generation() && !name_.empty() &&
            PQstatus(db_.get()) == CONNECTION_OK &&
            PQtransactionStatus(db_.get()) != PQTRANS_INERROR) {
            PQclear(PQexec(db_.get(), ("DEALLOCATE " + name_).c_str()));
        }
    }
    PostgresStatement(const PostgresStatement&) = delete;
    PostgresStatement& operator=(const PostgresStatement&) = delete;

    void bind_int(int index, int64_t value) override { set(index, std::to_string(value), kInt8); }
    void bind_double(int index, double value) override {
        if (std::isnan(value)) return set(index, "NaN", kFloat8);
        if (std::isinf(value)) return set(index, value > 0 ? "Infinity" : "-Infinity", kFloat8);
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
        set(index, std::string(buf, ec == std::errc() ? end : buf), kFloat8);
    }
    void bind_text(int index, std::string_view value) override {
        set(index, std::string(value), kText);
    }
    void bind_blob(int index, std::string_view value) override {
        set(index, std::string(value), kBytea);
        formats_[static_cast<size_t>(index - 1)] = 1;  // binary: the bytes as they are
    }
    void bind_null(int index) override {
        check_index(index);
        nulls_[static_cast<size_t>(index - 1)] = true;
        values_[static_cast<size_t>(index - 1)].clear();
    }

    bool step() override {
        if (!result_) {
            execute();
            row_ = 0;
        } else {
            ++row_;
        }
        return row_ < PQntuples(result_.get());
    }
    bool run_unless_orphan() override {
        const bool savepoint = db_.in_transaction();
        // An error ends a PostgreSQL transaction; a savepoint keeps the rest of it.
        if (savepoint) db_.exec("SAVEPOINT blynkd_orphan", purpose_);
        try {
            execute();
        } catch (const StoreError& e) {
            if (e.sqlstate() != kForeignKeyViolation) throw;
            if (savepoint) db_.exec("ROLLBACK TO SAVEPOINT blynkd_orphan", purpose_);
            return false;
        }
        if (savepoint) db_.exec("RELEASE SAVEPOINT blynkd_orphan", purpose_);
        return true;
    }

    int64_t column_int64(int index) const override {
        const char* v = value(index);
        if (v == nullptr) return 0;
        if (PQftype(result_.get(), index) == kBool) return *v == 't' ? 1 : 0;
        char* end = nullptr;
        const long long n = std::strtoll(v, &end, 10);
        // numeric results (SUM, AVG) may carry decimals
        if (*end == '.') return static_cast<int64_t>(std::strtod(v, nullptr));
        return n;
    }
    double column_double(int index) const override {
        const char* v = value(index);
        return v == nullptr ? 0.0 : std::strtod(v, nullptr);
    }
    std::string column_text(int index) const override {
        const char* v = value(index);
        if (v == nullptr) return {};
        const size_t size = static_cast<size_t>(PQgetlength(result_.get(), row_, index));
        if (PQftype(result_.get(), index) == kBytea) return unhex_bytea(v, size);
        return std::string(v, size);
    }
    bool column_is_null(int index) const override {
        return PQgetisnull(result_.get(), row_, index) != 0;
    }
    void reset() noexcept override {
        result_.reset();
        clear();
    }

private:
    void clear() {
        values_.assign(static_cast<size_t>(count_), std::string());
        nulls_.assign(static_cast<size_t>(count_), true);
        types_.resize(static_cast<size_t>(count_), 0);
        formats_.assign(static_cast<size_t>(count_), 0);
    }
    void check_index(int index) const {
        if (index < 1 || index > count_) {
            throw StoreError("bind " + purpose_ + ": parameter " + std::to_string(index) +
                             " out of range");
        }
    }
    void set(int index, std::string v, Oid type) {
        check_index(index);
        const auto i = static_cast<size_t>(index - 1);
        values_[i] = std::move(v);
        nulls_[i] = false;
        formats_[i] = 0;
        // The first binding of a parameter fixes its type for the prepared statement.
        if (types_[i] == 0) types_[i] = type;
    }
    /// The current row's column, nullptr when NULL or past the rows.
    const char* value(int index) const {
        if (!result_ || row_ >= PQntuples(result_.get()) ||
            PQgetisnull(result_.get(), row_, index) != 0) {
            return nullptr;
        }
        return PQgetvalue(result_.get(), row_, index);
    }
    void prepare_if_needed() {
        if (!db_.in_transaction()) db_.ensure_connected(purpose_);
        if (!name_.empty() && prepared_in_ == db_.generation()) return;
        name_ = db_.next_statement_name();
        Result r(PQprepare(db_.get(), name_.c_str(), sql_.c_str(), count_, types_.data()));
        try {
            db_.check(r.get(), "prepare " + purpose_);
        } catch (...) {
            name_.clear();
            throw;
        }
        prepared_in_ = db_.generation();
    }
    void execute() {
        prepare_if_needed();
        std::vector<const char*> values(static_cast<size_t>(count_));
        std::vector<int> lengths(static_cast<size_t>(count_));
        for (size_t i = 0; i < values.size(); ++i) {
            values[i] = nulls_[i] ? nullptr : values_[i].c_str();
            lengths[i] = static_cast<int>(values_[i].size());
        }
        result_.reset(PQexecPrepared(db_.get(), name_.c_str(), count_, values.data(),
                                     lengths.data(), formats_.data(), 0));
        try {
            db_.check(result_.get(), purpose_);
        } catch (...) {
            result_.reset();
            throw;
        }
    }

    PostgresConnection& db_;
    std::string purpose_;
    int count_ = 0;  // parameters, set by numbered_parameters() before sql_ is made
    std::string sql_;
    std::string name_;
    uint64_t prepared_in_ = 0;
    std::vector<std::string> values_;
    std::vector<bool> nulls_;
    std::vector<Oid> types_;
    std::vector<int> formats_;
    Result result_;
    int row_ = 0;
};

std::unique_ptr<StatementImpl> PostgresConnection::prepare(std::string_view sql,
                                                           const std::string& purpose) {
    return std::make_unique<PostgresStatement>(*this, sql, purpose);
}

}  // namespace

std::unique_ptr<ConnectionImpl> open_postgres(const std::string& url, const std::string& shown) {
    return std::make_unique<PostgresConnection>(url, shown);
}

}  // namespace blynk::store
