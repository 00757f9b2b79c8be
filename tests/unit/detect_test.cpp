#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/net/detect.hpp"

namespace blynk::net {
namespace {

Detected on(std::string_view bytes, Layer layer) {
    return detect(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
        layer);
}

const std::string kClientHello("\x16\x03\x01\x02\x00\x01", 6);
const std::string kHardwareLogin29("\x1d\x00\x01\x00\x20", 5);
const std::string kHardwareLogin2("\x02\x00\x01\x00\x05", 5);    // a 5-character token
const std::string kAppLogin("\x02\x00\x01\x00\x00\x00\x30", 7);  // 32-bit length

TEST(Detect, NothingYetNeedsMore) {
    for (Layer l : {Layer::Plain, Layer::TlsPort, Layer::InsideTls})
        EXPECT_EQ(on("", l), Detected::NeedMore);
}

TEST(Detect, TlsClientHelloOnRawPorts) {
    EXPECT_EQ(on(kClientHello.substr(0, 1), Layer::Plain), Detected::NeedMore);
    EXPECT_EQ(on(kClientHello, Layer::Plain), Detected::Tls);
    EXPECT_EQ(on(kClientHello, Layer::TlsPort), Detected::Tls);
    EXPECT_EQ(on(std::string("\x16\x01", 2), Layer::TlsPort), Detected::Garbage);
    // Inside TLS, 0x16 is just command 22, which no client sends first: hardware, closed.
    EXPECT_EQ(on(kClientHello, Layer::InsideTls), Detected::Hardware);
}

TEST(Detect, HttpMethodsNeedTheirSpace) {
    for (std::string m : {"GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "PATCH ", "OPTIONS ",
                          "TRACE ", "CONNECT "}) {
        for (size_t n = 1; n < m.size(); ++n) {
            EXPECT_EQ(on(m.substr(0, n), Layer::Plain), Detected::NeedMore) << m << n;
        }
        EXPECT_EQ(on(m + "/x HTTP/1.1", Layer::Plain), Detected::Http) << m;
        EXPECT_EQ(on(m, Layer::TlsPort), Detected::Http) << m;
        EXPECT_EQ(on(m, Layer::InsideTls), Detected::Http) << m;
    }
    EXPECT_EQ(on("GEX", Layer::Plain), Detected::Garbage);
    EXPECT_EQ(on("HELLO", Layer::Plain), Detected::Garbage);
}

TEST(Detect, TlsPortRefusesPlainBinary) {
    EXPECT_EQ(on(kHardwareLogin29, Layer::TlsPort), Detected::Garbage);
}

TEST(Detect, HardwareAndAppLoginsAreToldApartByTheLengthFieldInTlsAndOnThePlainPort) {
    for (Layer layer : {Layer::InsideTls, Layer::Plain}) {
        SCOPED_TRACE(layer == Layer::Plain ? "plain" : "inside TLS");
        EXPECT_EQ(on(kHardwareLogin29.substr(0, 1), layer), Detected::Hardware);
        for (size_t n = 1; n < 5; ++n)
            EXPECT_EQ(on(kHardwareLogin2.substr(0, n), layer), Detected::NeedMore);
        EXPECT_EQ(on(kHardwareLogin2, layer), Detected::Hardware);
        EXPECT_EQ(on(std::string("\x02\x00\x07\x01\x00", 5), layer), Detected::Hardware)
            << "a 256-byte token and a login id other than 1 are still hardware";
        EXPECT_EQ(on(kAppLogin, layer), Detected::App);
        EXPECT_EQ(on(std::string("\x01\x00\x01\x00\x00", 5), layer), Detected::App);
        EXPECT_EQ(on(std::string("\x28\x00\x01", 3), layer), Detected::App);  // GET_SERVER
        EXPECT_EQ(on(std::string("\x20", 1), layer), Detected::App);          // SHARE_LOGIN
        // Anything else first is hardware, closed at once unless it is a login.
        EXPECT_EQ(on(std::string("\x06", 1), layer), Detected::Hardware);
        EXPECT_EQ(on(std::string("\x00", 1), layer), Detected::Hardware);
        EXPECT_EQ(on("h", layer), Detected::Hardware);  // closed later as command 104
    }
}

}  // namespace
}  // namespace blynk::net
