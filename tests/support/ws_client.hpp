#pragma once
// A WebSocket hardware client for integration tests (ws and wss), built on Beast. Each call runs
// the I/O with a timeout, so a silent server fails the test instead of hanging it.

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace blynk::test {

class WsClient {
public:
    struct Options {
        std::string path = "/websockets";
        std::string ca_file;   ///< set = wss, trusting this certificate
        bool deflate = false;  ///< offer permessage-deflate
        std::string cookie;    ///< a Cookie header for the upgrade (the web console's)
        std::string origin;    ///< an Origin header for the upgrade
    };
    WsClient(uint16_t port, const Options& options);
    ~WsClient();

    /// Sends one binary message.
    void send(const std::string& bytes);
    /// Sends one text message.
    void send_text(const std::string& text);
    /// The next message, or nullopt-like empty string with `timed_out`/`closed` set.
    std::string read(std::chrono::milliseconds timeout, bool* closed = nullptr);
    /// The next message equals `expected` (hex diff otherwise); it must be binary.
    ::testing::AssertionResult expect_message(
        const std::string& expected, std::chrono::milliseconds timeout = std::chrono::seconds(3));
    ::testing::AssertionResult expect_closed(std::chrono::milliseconds timeout);
    /// The Sec-WebSocket-Extensions header of the server's handshake answer (empty: none).
    const std::string& extensions() const;
    /// Sends a WebSocket ping and waits for the pong.
    bool ping_pong(std::chrono::milliseconds timeout = std::chrono::seconds(3));

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace blynk::test
