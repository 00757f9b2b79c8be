// What only the PostgreSQL engine has: its schema version table, its error messages (SQLSTATE, no
// password), a foreign-key failure kept to its statement inside a transaction, and reconnecting
// after the server restarted, also under the storage worker.

#include <chrono>
#include <thread>

#include "server/store/migrations.hpp"
#include "server/store/sql_handle.hpp"
#include "server/store/storage_worker.hpp"
#include "tests/unit/store_test_support.hpp"

namespace blynk::store {
namespace {

std::string fresh_database(const char* name) {
    static int n = 0;
    return test::PostgresServer::shared().create_database(name + std::to_string(::getpid()) + "_" +
                                                          std::to_string(n++));
}

TEST(StorePostgres, MigrationsRunOnceAndANewerSchemaIsRefused) {
    const std::string url = fresh_database("migrations_");
    {
        Database db(url);
        EXPECT_EQ(db.dialect(), Dialect::Postgres);
        EXPECT_EQ(schema_version(db), 0);
        open_schema(db);
        EXPECT_EQ(schema_version(db), latest_schema_version());
        open_schema(db);  // nothing to do, no error
        EXPECT_EQ(schema_version(db), latest_schema_version());
        Statement rows(db, "SELECT COUNT(*) FROM blynkd_schema", "count versions");
        ASSERT_TRUE(rows.step());
        EXPECT_EQ(rows.column_int64(0), 1);
        db.exec("UPDATE blynkd_schema SET version = 99", "pretend a newer blynkd wrote this");
    }
    const std::string err = error_of([&] { Store store(url); });
    EXPECT_NE(err.find("schema version 99"), std::string::npos) << err;
    EXPECT_NE(err.find("newer blynkd"), std::string::npos) << err;
}

TEST(StorePostgres, ErrorsNameThePurposeAndTheStateButNeverThePassword) {
    const std::string unreachable = "postgresql://blynkd:s3cret@127.0.0.1:1/nothing";
    EXPECT_EQ(redacted_location(unreachable), "postgresql://blynkd@127.0.0.1:1/nothing");
    const std::string refused = error_of([&] { Database db(unreachable); });
    EXPECT_EQ(refused.rfind("open database postgresql://blynkd@127.0.0.1:1/nothing: ", 0), 0u)
        << refused;
    EXPECT_EQ(refused.find("s3cret"), std::string::npos) << refused;

    Database db(fresh_database("errors_"));
    try {
        db.exec("SELEC 1", "test purpose");
        ADD_FAILURE() << "no StoreError";
    } catch (const StoreError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("test purpose: ERROR:  syntax error", 0), 0u)
            << e.what();
        EXPECT_EQ(e.sqlstate(), "42601");
    }
}

TEST(StorePostgres, AnOrphanRowIsSkippedAndTheTransactionGoesOn) {
    Database db(fresh_database("orphan_"));
    db.exec(
        "CREATE TABLE parent (id BIGINT PRIMARY KEY); "
        "CREATE TABLE child (id BIGINT REFERENCES parent(id)); "
        "INSERT INTO parent VALUES (1)",
        "schema");
    Statement insert(db, "INSERT INTO child (id) VALUES (?1)", "insert child");
    {
        Transaction tx(db);
        insert.bind_int(1, 2);
        EXPECT_FALSE(insert.run_unless_orphan());
        insert.reset();
        insert.bind_int(1, 1);
        EXPECT_TRUE(insert.run_unless_orphan());
        insert.reset();
        EXPECT_EQ(db.changes(), 1);
        tx.commit();
    }
    Statement count(db, "SELECT COUNT(*), MIN(id) FROM child", "count");
    ASSERT_TRUE(count.step());
    EXPECT_EQ(count.column_int64(0), 1);
    EXPECT_EQ(count.column_int64(1), 1);
}

TEST(StorePostgres, BytesAndNumbersRoundTripExactly) {
    Database db(fresh_database("types_"));
    db.exec("CREATE TABLE t (b BYTEA, d DOUBLE PRECISION, i BIGINT, s TEXT)", "schema");
    const std::string bytes("a\0b\xff\x80\\x", 7);
    Statement put(db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4)", "insert");
    put.bind_blob(1, bytes);
    put.bind_double(2, 0.1 + 0.2);
    put.bind_int(3, INT64_MIN);
    put.bind_text(4, "ünïcode ✓");
    put.run();
    Statement get(db, "SELECT b, d, i, s, NULL FROM t", "read");
    ASSERT_TRUE(get.step());
    EXPECT_EQ(get.column_blob(0), bytes);
    EXPECT_EQ(get.column_double(1), 0.1 + 0.2);
    EXPECT_EQ(get.column_int64(2), INT64_MIN);
    EXPECT_EQ(get.column_text(3), "ünïcode ✓");
    EXPECT_TRUE(get.column_is_null(4));
    EXPECT_FALSE(get.step());
}

TEST(StorePostgres, AStoreAndTheWorkerGoOnAfterTheServerRestarted) {
    test::PostgresServer pg;
    const std::string url = pg.create_database("restarts");
    std::string token;
    {
        Store store(url);
        store.add_user("a@b.c", "", kNoPassword);
        token = store.add_device("a@b.c", "K", "ESP32", std::nullopt, 10).device.token;
    }
    Store store(url);
    StorageWorker worker(url, std::chrono::hours(1), 0, nullptr);

    pg.stop();
    worker.put_pins("a@b.c", {{1, 0, kV5, "kept", 1}});
    EXPECT_FALSE(worker.flush_now()) << "the server is down";
    EXPECT_EQ(worker.stats().pending_pins, 1u) << "kept for the next attempt";
    EXPECT_THROW(store.list_users(), StoreError);

    pg.start();
    // The first statement after the restart finds the old connection closed; the next one
    // reconnects.
    EXPECT_TRUE(worker.flush_now() || worker.flush_now());
    EXPECT_EQ(worker.stats().pending_pins, 0u);
    ASSERT_EQ(store.list_users().size(), 1u);
    auto row = store.find_device_by_token(token);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->device.pins.at(kV5), "kept");
}

}  // namespace
}  // namespace blynk::store
