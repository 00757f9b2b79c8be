// TlsSocket's mapping of failed system calls inside OpenSSL to errors: an error is never
// reported as success (which made a caller read a closed socket again and again).

#include "server/net/tls_socket.hpp"

#include <cerrno>

#include <gtest/gtest.h>

namespace blynk::net {
namespace {

TEST(TlsSyscallError, EveryFailureIsAnError) {
    EXPECT_EQ(tls_syscall_error(0, 0), boost::asio::error::eof)
        << "TCP closed without close_notify";
    const auto reset = tls_syscall_error(ECONNRESET, 0);
    EXPECT_EQ(reset.value(), ECONNRESET);
    EXPECT_EQ(reset.category(), boost::system::system_category());
    for (int err : {EBADF, ETIMEDOUT, ENOTCONN, EHOSTUNREACH, EPIPE}) {
        const auto ec = tls_syscall_error(err, 0);
        EXPECT_TRUE(ec) << err;
        EXPECT_EQ(ec.value(), err);
    }
    const auto queued = tls_syscall_error(EBADF, 0x0A000126);
    EXPECT_TRUE(queued);
    EXPECT_EQ(queued.category(), boost::asio::error::get_ssl_category()) << "OpenSSL's own first";
}

}  // namespace
}  // namespace blynk::net
