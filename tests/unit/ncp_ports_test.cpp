#include <gtest/gtest.h>

#include "config/keys.hpp"
#include "config/ncp_ports.hpp"

namespace blynk::config {
namespace {

TEST(NcpPortsConfig, EntriesWithTheirOptionsAndDefaults) {
    auto ports = parse_ncp_ports(
        " /dev/ttyAMA0=tok1 ;/dev/serial/by-id/usb-FTDI_A50285BI-if00-port0=tok2 baud=115200 "
        "frame=250;; ");
    ASSERT_EQ(ports.size(), 2u);
    EXPECT_EQ(ports[0].path, "/dev/ttyAMA0");
    EXPECT_EQ(ports[0].token, "tok1");
    EXPECT_EQ(ports[0].baud, 38400u);
    EXPECT_EQ(ports[0].max_frame, 1536u);
    EXPECT_EQ(ports[1].path, "/dev/serial/by-id/usb-FTDI_A50285BI-if00-port0");
    EXPECT_EQ(ports[1].token, "tok2");
    EXPECT_EQ(ports[1].baud, 115200u);
    EXPECT_EQ(ports[1].max_frame, 250u);
    EXPECT_TRUE(parse_ncp_ports("").empty());
    EXPECT_TRUE(parse_ncp_ports(" ; ").empty());
}

TEST(NcpPortsConfig, MistakesNameTheEntry) {
    auto error_of = [](const char* text) {
        try {
            parse_ncp_ports(text);
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error_of("/dev/ttyS0"),
              R"(ncp.ports: "/dev/ttyS0" in "/dev/ttyS0" is not PATH=TOKEN, baud=N or frame=N)");
    EXPECT_EQ(error_of("/dev/ttyS0=t baud=fast"),
              R"(ncp.ports: "fast" is not a whole number in "/dev/ttyS0=t baud=fast")");
    EXPECT_EQ(
        error_of("/dev/ttyS0=t baud=12345"),
        R"(ncp.ports: the serial driver cannot run at 12345 baud ("/dev/ttyS0=t baud=12345"))");
    EXPECT_EQ(
        error_of("/dev/ttyS0=t frame=31"),
        R"(ncp.ports: frame=31 in "/dev/ttyS0=t frame=31": the frame cap must be 32 to 1536 bytes)");
    EXPECT_EQ(error_of("/dev/ttyS0=t stop=2"),
              R"(ncp.ports: unknown option "stop" in "/dev/ttyS0=t stop=2" (baud=N or frame=N))");
    EXPECT_EQ(error_of("/dev/ttyS0=a; /dev/ttyS0=b"), "ncp.ports: /dev/ttyS0 is given twice");
}

TEST(NcpPortsConfig, RatesTheSerialDriverKnows) {
    for (uint32_t baud : {9600u, 38400u, 115200u, 460800u, 921600u, 2000000u})
        EXPECT_TRUE(serial_baud_supported(baud)) << baud;
    for (uint32_t baud : {0u, 12345u, 250000u})
        EXPECT_FALSE(serial_baud_supported(baud)) << baud;
}

}  // namespace
}  // namespace blynk::config
