#pragma once
// What the store's unit tests share: tokens, errors, an app-made device, a fresh database on each
// engine (a file in a temp folder for SQLite, a database of the test process's own PostgreSQL
// server).

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "server/store/store.hpp"
#include "tests/support/postgres_server.hpp"

namespace blynk::store {

using namespace std::chrono_literals;
using model::PinKey;
using model::PinType;

inline constexpr auto kNoPassword = model::PasswordKind::None;
inline const PinKey kV5{PinType::Virtual, 5};
inline const PinKey kD13{PinType::Digital, 13};

inline bool is_token(const std::string& t) {
    return t.size() == 32 && std::all_of(t.begin(), t.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
           });
}

inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const StoreError& e) {
        return e.what();
    }
    return "(no StoreError)";
}

// A device as the app creates it.
inline model::Device app_device(int id, std::string name) {
    model::Device d;
    d.id = id;
    d.name = std::move(name);
    d.board_type = "ESP32";
    d.extra = R"({"vendor":"Espressif","connectionType":"WI_FI","iconName":"esp32"})";
    return d;
}

/// The engines every store test runs on.
enum class Engine { Sqlite, Postgres };

inline std::string engine_name(const ::testing::TestParamInfo<Engine>& info) {
    return info.param == Engine::Sqlite ? "Sqlite" : "Postgres";
}

/// A fresh directory per test, removed afterwards; path_ is the SQLite file in it. For what only
/// SQLite has (WAL, user_version, files written by older releases).
class SqliteFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        static std::atomic<int> counter{0};
        dir_ =
            std::filesystem::path(::testing::TempDir()) /
            ("blynkd_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        path_ = Store::db_path(dir_).string();
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    std::filesystem::path dir_;
    std::string path_;
};

/// Run on both engines (STORE_TEST_ON_BOTH_ENGINES): path_ is where the store opens its database,
/// a file of a fresh directory (SQLite) or a fresh database's URL (PostgreSQL).
class StoreFileTest : public ::testing::WithParamInterface<Engine>, public SqliteFileTest {
protected:
    void SetUp() override {
        SqliteFileTest::SetUp();
        if (postgres()) {
            static std::atomic<int> databases{0};
            path_ = test::PostgresServer::shared().create_database(
                "store_" + std::to_string(::getpid()) + "_" + std::to_string(databases++));
        }
    }
    bool postgres() const { return GetParam() == Engine::Postgres; }
};

/// Instantiates a StoreFileTest-derived suite once per engine (in one source file per suite).
#define STORE_TEST_ON_BOTH_ENGINES(Suite)                                                         \
    INSTANTIATE_TEST_SUITE_P(Engines, Suite, ::testing::Values(Engine::Sqlite, Engine::Postgres), \
                             engine_name)

}  // namespace blynk::store
