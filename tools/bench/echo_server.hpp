#pragma once
// The machine's ceiling for the same traffic: a minimal single-threaded epoll echo server on
// 127.0.0.1:0 inside the bench, which returns every byte to the connection it came from, with
// no parsing, no allocation per message and one recv + one send per readable event.

#include <atomic>
#include <cstdint>
#include <thread>

namespace blynk::bench {

class EchoServer {
public:
    /// Listens and starts its thread; throws on failure.
    EchoServer();
    /// Stops the thread and closes every connection.
    ~EchoServer();
    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;

    uint16_t port() const { return port_; }
    /// CPU seconds used by the echo thread so far.
    double cpu_seconds() const;

private:
    void run();

    int listen_fd_ = -1;
    int ep_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int64_t> cpu_ns_{0};
    std::thread thread_;
};

}  // namespace blynk::bench
