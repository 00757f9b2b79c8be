#include "tests/support/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "common/proto/body.hpp"
#include "common/proto/codec.hpp"

namespace blynk::test {

std::string frame(uint8_t command, uint16_t id, std::string_view body) {
    std::string out;
    proto::encode(out, proto::Layout::Hardware, command, id, body);
    return out;
}

std::string response(uint16_t id, uint16_t status) {
    std::string out;
    proto::encode_response(out, proto::Layout::Hardware, id, status);
    return out;
}

std::string body(std::initializer_list<std::string_view> fields) {
    return proto::join(std::vector<std::string_view>(fields));
}

std::string hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        if (!out.empty()) out.push_back(' ');
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

RawClient::RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd_);
        throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) +
                                 " failed: " + std::strerror(errno));
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawClient::~RawClient() {
    if (fd_ >= 0) ::close(fd_);
}

void RawClient::send(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
        bytes.remove_prefix(static_cast<size_t>(n));
    }
}

void RawClient::login(const std::string& token) {
    send_frame(29, 1, token);
    EXPECT_TRUE(expect_response(1, 200)) << "login with token " << token;
}

std::string RawClient::read_exact(size_t n, std::chrono::milliseconds timeout, bool& eof) {
    eof = false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pending_.size() < n) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        char buf[4096];
        ssize_t got = ::recv(fd_, buf, sizeof buf, 0);
        if (got <= 0) {
            eof = true;
            break;
        }
        pending_.append(buf, static_cast<size_t>(got));
    }
    std::string out = pending_.substr(0, std::min(n, pending_.size()));
    pending_.erase(0, out.size());
    return out;
}

::testing::AssertionResult RawClient::expect(std::string_view expected,
                                             std::chrono::milliseconds timeout) {
    bool eof = false;
    std::string got = read_exact(expected.size(), timeout, eof);
    if (got == expected) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "\n  expected: " << hex(expected) << "\n  received: " << hex(got)
           << (eof ? "  (connection closed)" : "  (timed out)");
}

::testing::AssertionResult RawClient::expect_closed(std::chrono::milliseconds timeout) {
    bool eof = false;
    std::string got = read_exact(65536, timeout, eof);
    if (eof && got.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << (eof ? "closed, but first sent: " + hex(got)
                   : "still open after " + std::to_string(timeout.count()) +
                         " ms; received: " + hex(got));
}

::testing::AssertionResult RawClient::expect_silence(std::chrono::milliseconds duration) {
    bool eof = false;
    std::string got = read_exact(65536, duration, eof);
    if (!eof && got.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "expected silence, got: " << hex(got) << (eof ? " (connection closed)" : "");
}

std::string RawClient::read_for(std::chrono::milliseconds wait) {
    bool eof = false;
    return read_exact(1 << 20, wait, eof);
}

bool RawClient::open() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return true;
    char c;
    ssize_t n = ::recv(fd_, &c, 1, MSG_PEEK);
    return n > 0;
}

}  // namespace blynk::test
