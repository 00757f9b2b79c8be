// The services a cluster of blynkd nodes stands on, as the tests start them (issue 15):
// PostgreSQL and Redis from Debian's packages in temp folders, on loopback, unprivileged when the
// tests run as root; answering, separate per database, surviving a crash, pausable.

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <regex>

#include <gtest/gtest.h>

#include "tests/support/postgres_server.hpp"
#include "tests/support/redis_server.hpp"

namespace blynk::test {
namespace {

using namespace std::chrono_literals;

/// A libpq connection that fails the test when it cannot connect.
class Connection {
public:
    explicit Connection(const std::string& url) : connection_(PQconnectdb(url.c_str())) {
        EXPECT_EQ(PQstatus(connection_), CONNECTION_OK)
            << url << ": " << PQerrorMessage(connection_);
    }
    ~Connection() { PQfinish(connection_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// The first row's first value of `sql`, or "ERROR: ..." / "NULL".
    std::string value(const std::string& sql) {
        const std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection_, sql.c_str()),
                                                                   &PQclear);
        const auto status = PQresultStatus(result.get());
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
            return std::string("ERROR: ") + PQresultErrorMessage(result.get());
        if (status == PGRES_COMMAND_OK || PQntuples(result.get()) == 0) return "";
        if (PQgetisnull(result.get(), 0, 0)) return "NULL";
        return PQgetvalue(result.get(), 0, 0);
    }

private:
    PGconn* connection_;
};

/// The uid a process runs as, from /proc/<pid>/status ("Uid: real effective ...").
uid_t process_uid(const std::string& pid) {
    std::ifstream in("/proc/" + pid + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("Uid:", 0) == 0) return static_cast<uid_t>(std::stoul(line.substr(4)));
    ADD_FAILURE() << "no process " << pid;
    return 0;
}

/// The uid the services must run as: nobody's when the tests run as root, the tests' otherwise.
uid_t expected_service_uid() {
    return ::geteuid() == 0 ? ::getpwnam("nobody")->pw_uid : ::geteuid();
}

template <typename Start>
long long milliseconds_to(Start&& start) {
    const auto begin = std::chrono::steady_clock::now();
    start();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 begin)
        .count();
}

TEST(ClusterServices, PostgresAnswersOnLoopbackAsAnUnprivilegedUser) {
    PostgresServer& server = PostgresServer::shared();
    const std::string url = server.create_database("answers");
    EXPECT_EQ(url, "postgresql://blynkd@127.0.0.1:" + std::to_string(server.port()) + "/answers");
    Connection db(url);
    EXPECT_EQ(db.value("SELECT 1"), "1");
    EXPECT_TRUE(std::regex_match(db.value("SHOW server_version"), std::regex(R"(\d+\.\d+.*)")))
        << db.value("SHOW server_version");
    EXPECT_EQ(db.value("SELECT current_database()"), "answers");
    EXPECT_EQ(db.value("SHOW listen_addresses"), "127.0.0.1");
    EXPECT_EQ(db.value("SHOW server_encoding"), "UTF8");
    EXPECT_EQ(db.value("SHOW fsync"), "off");
    // Commits stay synchronous, so that a killed server keeps what it acknowledged.
    EXPECT_EQ(db.value("SHOW synchronous_commit"), "on");
    EXPECT_EQ(process_uid(db.value("SELECT pg_backend_pid()")), expected_service_uid());
}

TEST(ClusterServices, PostgresDatabasesAreSeparate) {
    PostgresServer& server = PostgresServer::shared();
    Connection first(server.create_database("first"));
    Connection second(server.create_database("second"));
    EXPECT_EQ(first.value("CREATE TABLE pins (value text)"), "");
    EXPECT_EQ(first.value("INSERT INTO pins VALUES ('in first')"), "");
    EXPECT_EQ(second.value("SELECT to_regclass('pins')::text"), "NULL");
    EXPECT_EQ(second.value("CREATE TABLE pins (value text)"), "");
    EXPECT_EQ(second.value("SELECT count(*) FROM pins"), "0");
    EXPECT_EQ(first.value("SELECT value FROM pins"), "in first");
}

TEST(ClusterServices, PostgresRefusesADatabaseThatExists) {
    PostgresServer& server = PostgresServer::shared();
    server.create_database("twice");
    try {
        server.create_database("twice");
        FAIL() << "a second CREATE DATABASE twice succeeded";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos) << e.what();
    }
}

TEST(ClusterServices, PostgresKeepsACommittedRowWhenKilled) {
    std::unique_ptr<PostgresServer> server;
    const auto cold = milliseconds_to([&] { server = std::make_unique<PostgresServer>(); });
    ::testing::Test::RecordProperty("cold_start_ms", std::to_string(cold));
    const std::string url = server->create_database("crash");
    {
        Connection db(url);
        EXPECT_EQ(db.value("CREATE TABLE values_kept (pin int, value text)"), "");
        EXPECT_EQ(db.value("INSERT INTO values_kept VALUES (5, 'committed')"), "");
    }
    const uint16_t port = server->port();
    server->kill();
    EXPECT_FALSE(server->running());
    EXPECT_EQ(PQping(url.c_str()), PQPING_NO_RESPONSE);

    const auto restart = milliseconds_to([&] { server->start(); });
    ::testing::Test::RecordProperty("restart_ms", std::to_string(restart));
    EXPECT_EQ(server->port(), port);
    Connection db(url);
    EXPECT_EQ(db.value("SELECT value FROM values_kept WHERE pin = 5"), "committed");
    // It was a crash, recovered from the WAL, not a clean shutdown.
    EXPECT_NE(server->log().find("automatic recovery in progress"), std::string::npos)
        << server->log();
}

TEST(ClusterServices, PostgresStopsAndStartsAgain) {
    PostgresServer server;
    const std::string url = server.create_database("restart");
    server.stop();
    EXPECT_EQ(PQping(url.c_str()), PQPING_NO_RESPONSE);
    server.start();
    EXPECT_EQ(Connection(url).value("SELECT current_database()"), "restart");
    EXPECT_EQ(server.log().find("automatic recovery in progress"), std::string::npos);
}

TEST(ClusterServices, PostgresThatCannotStartSaysWhy) {
    try {
        PostgresServer server({{"shared_buffers", "plenty"}});
        FAIL() << "postgres started with shared_buffers=plenty";
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("postgres exited during start-up"), std::string::npos) << message;
        // The server's own words, from its log.
        EXPECT_NE(message.find("invalid value for parameter \"shared_buffers\""), std::string::npos)
            << message;
    }
}

TEST(ClusterServices, RedisRoundTripsOnLoopbackAsAnUnprivilegedUser) {
    std::unique_ptr<RedisServer> server;
    const auto cold = milliseconds_to([&] { server = std::make_unique<RedisServer>(); });
    ::testing::Test::RecordProperty("cold_start_ms", std::to_string(cold));
    EXPECT_EQ(server->url(), "redis://127.0.0.1:" + std::to_string(server->port()));
    EXPECT_EQ(server->command({"SET", "token:abc", "user\r\n1"}, 1s), "+OK\r\n");
    EXPECT_EQ(server->command({"GET", "token:abc"}, 1s), "$7\r\nuser\r\n1\r\n");
    EXPECT_EQ(server->command({"GET", "missing"}, 1s), "$-1\r\n");
    EXPECT_EQ(server->command({"CONFIG", "GET", "bind"}, 1s),
              "*2\r\n$4\r\nbind\r\n$9\r\n127.0.0.1\r\n");
    EXPECT_EQ(server->command({"CONFIG", "GET", "save"}, 1s), "*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
    EXPECT_EQ(server->command({"CONFIG", "GET", "protected-mode"}, 1s),
              "*2\r\n$14\r\nprotected-mode\r\n$3\r\nyes\r\n");
    const auto info = server->command({"INFO", "server"}, 1s).value_or("");
    std::smatch pid;
    ASSERT_TRUE(std::regex_search(info, pid, std::regex(R"(process_id:(\d+))"))) << info;
    EXPECT_EQ(process_uid(pid[1]), expected_service_uid());
}

TEST(ClusterServices, RedisKilledRestartsEmptyWithoutPersistence) {
    RedisServer server;
    EXPECT_EQ(server.command({"SET", "node:1", "alive"}, 1s), "+OK\r\n");
    server.kill();
    EXPECT_EQ(server.command({"PING"}, 1s), std::nullopt);
    server.start();
    EXPECT_EQ(server.command({"PING"}, 1s), "+PONG\r\n");
    EXPECT_EQ(server.command({"GET", "node:1"}, 1s), "$-1\r\n");
}

TEST(ClusterServices, RedisKilledKeepsAcknowledgedWritesWithAppendOnly) {
    RedisServer server(RedisServer::Persistence::append_only);
    EXPECT_EQ(server.command({"SET", "user:1", "node-2"}, 1s), "+OK\r\n");
    server.kill();
    server.start();
    EXPECT_EQ(server.command({"GET", "user:1"}, 1s), "$6\r\nnode-2\r\n");
}

TEST(ClusterServices, RedisPausedAnswersNothingUntilResumed) {
    RedisServer server;
    server.pause();
    const auto begin = std::chrono::steady_clock::now();
    EXPECT_EQ(server.command({"PING"}, 300ms), std::nullopt);
    // It timed out: the connection was accepted (by the kernel), not refused.
    EXPECT_GE(std::chrono::steady_clock::now() - begin, 250ms);
    server.resume();
    EXPECT_EQ(server.command({"PING"}, 1s), "+PONG\r\n");
}

}  // namespace
}  // namespace blynk::test
