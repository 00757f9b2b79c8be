#pragma once
// A blocking mobile-app client for integration tests: the 7-byte app framing over a RawClient
// (plain TCP or TLS). Expectations compare exact bytes (hex diff on mismatch).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "tests/support/raw_client.hpp"

namespace blynk::test {

/// Bytes of one app frame / response (7-byte header).
inline std::string app_frame(uint8_t command, uint16_t id, std::string_view body = {}) {
    return frame(command, id, body, proto::Layout::App);
}
inline std::string app_response(uint16_t id, uint32_t status) {
    return response(id, status, proto::Layout::App);
}

/// One frame read back: `status` is set for RESPONSE (command 0), `body` otherwise.
struct AppFrame {
    uint8_t command = 0;
    uint16_t id = 0;
    uint32_t status = 0;
    std::string body;
};

class AppClient {
public:
    explicit AppClient(uint16_t port) : raw_(std::make_unique<RawClient>(port)) {}
    AppClient(uint16_t port, const TlsOptions& tls)
        : raw_(std::make_unique<RawClient>(port, tls)) {}

    RawClient& raw() { return *raw_; }
    void send(uint8_t command, uint16_t id, std::string_view body = {}) {
        raw_->send(app_frame(command, id, body));
    }
    /// LOGIN with the app's password hash of `password`; returns the answer's status (0 when
    /// none came).
    uint32_t login(const std::string& email, const std::string& password, uint16_t id = 1);
    /// REGISTER; returns the answer's status.
    uint32_t register_account(const std::string& email, const std::string& password,
                              uint16_t id = 1);

    ::testing::AssertionResult expect_frame(uint8_t command, uint16_t id, std::string_view body,
                                            std::chrono::milliseconds timeout = 3s) {
        return raw_->expect(app_frame(command, id, body), timeout);
    }
    ::testing::AssertionResult expect_response(uint16_t id, uint32_t status,
                                               std::chrono::milliseconds timeout = 3s) {
        return raw_->expect(app_response(id, status), timeout);
    }
    /// The next frame, whatever it is; nullopt on timeout or close.
    std::optional<AppFrame> read_frame(std::chrono::milliseconds timeout = 3s);
    /// Sends a request and returns the body of the reply with the same command and id (the
    /// inflated body for LOAD_PROFILE_GZIPPED); fails the test on any other reply.
    std::string request(uint8_t command, uint16_t id, std::string_view body = {});

private:
    std::unique_ptr<RawClient> raw_;
};

}  // namespace blynk::test
