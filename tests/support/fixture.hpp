#pragma once
// A started blynkd with one user and two devices, for integration tests.

#include <map>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/server_process.hpp"

namespace blynk::test {

namespace cmd = blynk::proto::cmd;
namespace status = blynk::proto::status;

class ServerTest : public ::testing::Test {
protected:
    /// Settings for the server; override to change them before start.
    virtual std::map<std::string, std::string> settings() const {
        return {{"storage.flush.interval.ms", "100"}};
    }

    void SetUp() override {
        server_ = std::make_unique<ServerProcess>(settings());
        token_a_ = server_->provision("alice@example.com", "Board A");
        token_b_ = server_->provision("alice@example.com", "Board B");
        server_->start();
    }

    // A server that crashed mid-test fails it, even if every expectation before the crash held.
    void TearDown() override {
        if (!server_) return;  // skipped before the server was started
        const std::string crash = server_->unexpected_exit();
        if (!crash.empty()) ADD_FAILURE() << "blynkd " << crash << "; its log:\n" << server_->log();
    }

    std::unique_ptr<RawClient> connect() { return std::make_unique<RawClient>(server_->port()); }
    std::unique_ptr<RawClient> logged_in(const std::string& token) {
        auto c = connect();
        c->login(token);
        return c;
    }

    std::unique_ptr<ServerProcess> server_;
    std::string token_a_;
    std::string token_b_;
};

}  // namespace blynk::test
