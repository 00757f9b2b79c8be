#pragma once
// What the store's unit tests share: tokens, errors, an app-made device, a temp data folder.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "server/store/sqlite_store.hpp"

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

// A fresh directory per test, removed afterwards.
class StoreFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        static std::atomic<int> counter{0};
        dir_ =
            std::filesystem::path(::testing::TempDir()) /
            ("blynkd_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        path_ = SqliteStore::db_path(dir_).string();
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    std::filesystem::path dir_;
    std::string path_;
};

}  // namespace blynk::store
