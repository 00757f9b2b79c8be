#include "tests/support/fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/ws_client.hpp"

namespace blynk::test {
namespace {

class WebSocketTest : public ServerTest {
protected:
    std::unique_ptr<WsClient> ws(const std::string& path = "/websockets", bool tls = false,
                                 bool deflate = false) {
        WsClient::Options o;
        o.path = path;
        o.deflate = deflate;
        if (tls) o.ca_file = (server_->data_dir() / "tls" / "cert.pem").string();
        return std::make_unique<WsClient>(tls ? server_->tls_port() : server_->port(), o);
    }
    void login(WsClient& c, const std::string& token) {
        c.send(frame(cmd::kHardwareLogin, 1, token));
        ASSERT_TRUE(c.expect_message(response(1, status::kOk)));
    }
};

TEST_F(WebSocketTest, HardwareSessionOverWs) {
    auto c = ws();
    login(*c, token_a_);
    c->send(frame(cmd::kHardware, 2, body({"vw", "1", "over ws"})));
    c->send(frame(cmd::kHardwareSync, 3, body({"vr", "1"})));
    EXPECT_TRUE(c->expect_message(frame(cmd::kHardware, 3, body({"vw", "1", "over ws"}))));
    EXPECT_TRUE(server_->wait_for_log("login ok: hardware ws"));
}

TEST_F(WebSocketTest, SingularPathAndWssWork) {
    auto singular = ws("/websocket");
    login(*singular, token_a_);
    auto secure = ws("/websockets", true);
    login(*secure, token_b_);
    EXPECT_TRUE(server_->wait_for_log("login ok: hardware wss"));
}

TEST_F(WebSocketTest, SeveralMessagesPerFrameAndOneMessageAcrossFrames) {
    auto c = ws();
    // Login, info and a ping in one WebSocket message...
    c->send(frame(cmd::kHardwareLogin, 1, token_a_) +
            frame(cmd::kInternal, 2, body({"ver", "0.6.1", "h-beat", "15", "buff-in", "32767"})) +
            frame(cmd::kPing, 3));
    // ...and every outbound frame comes as its own binary message.
    EXPECT_TRUE(c->expect_message(response(1, status::kOk)));
    EXPECT_TRUE(c->expect_message(response(2, status::kOk)));
    EXPECT_TRUE(c->expect_message(response(3, status::kOk)));
    // A frame split over two WebSocket messages.
    std::string write = frame(cmd::kHardware, 4, body({"vw", "2", "split"}));
    c->send(write.substr(0, 3));
    c->send(write.substr(3));
    c->send(frame(cmd::kHardware, 5, body({"vw", "3", "x"})));
    c->send(frame(cmd::kHardwareSync, 6));
    EXPECT_TRUE(c->expect_message(frame(cmd::kHardware, 6, body({"vw", "2", "split"}))));
    EXPECT_TRUE(c->expect_message(frame(cmd::kHardware, 6, body({"vw", "3", "x"}))));
}

TEST_F(WebSocketTest, TextMessagesAreIgnored) {
    auto c = ws();
    login(*c, token_a_);
    c->send_text("hello, not a Blynk frame");
    c->send(frame(cmd::kPing, 2));
    EXPECT_TRUE(c->expect_message(response(2, status::kOk)));
}

// Node-RED's `ws` library offers permessage-deflate; the compressor would cost ~120 KB per
// connection for frames of a few bytes, so the offer is declined and the session goes on plain.
TEST_F(WebSocketTest, PermessageDeflateOffersAreDeclined) {
    auto c = ws("/websockets", false, true);
    EXPECT_EQ(c->extensions(), "");
    login(*c, token_a_);
    c->send(frame(cmd::kPing, 2));
    EXPECT_TRUE(c->expect_message(response(2, status::kOk)));
}

TEST_F(WebSocketTest, RestWriteReachesAWebSocketDeviceWithId111) {
    auto c = ws();
    login(*c, token_a_);
    c->send(frame(cmd::kInternal, 2, body({"ver", "0.6.1", "buff-in", "32767"})));
    ASSERT_TRUE(c->expect_message(response(2, status::kOk)));
    auto r = http_call(server_->port(), "GET", "/" + token_a_ + "/update/V9?value=from%20rest");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(c->expect_message(frame(cmd::kHardware, 111, body({"vw", "9", "from rest"}))));
}

TEST_F(WebSocketTest, BridgeFromATcpDeviceArrivesOverWs) {
    auto c = ws();
    login(*c, token_b_);
    auto a = logged_in(token_a_);
    a->send_frame(cmd::kBridge, 7, body({"1", "i", token_b_}));
    ASSERT_TRUE(a->expect_response(7, status::kOk));
    a->send_frame(cmd::kBridge, 8, body({"1", "vw", "4", "bridged"}));
    EXPECT_TRUE(c->expect_message(frame(cmd::kBridge, 8, body({"vw", "4", "bridged"}))));
}

TEST_F(WebSocketTest, PingFramesAreAnswered) {
    auto c = ws();
    login(*c, token_a_);
    EXPECT_TRUE(c->ping_pong());
}

TEST_F(WebSocketTest, BufferLimitOfTheDeviceIsRespectedForRestWrites) {
    auto c = ws();
    login(*c, token_a_);
    c->send(frame(cmd::kInternal, 2, body({"ver", "0.6.1", "buff-in", "64"})));
    ASSERT_TRUE(c->expect_message(response(2, status::kOk)));
    http_call(server_->port(), "GET", "/" + token_a_ + "/update/V9?value=" + std::string(100, 'x'));
    http_call(server_->port(), "GET", "/" + token_a_ + "/update/V9?value=small");
    EXPECT_TRUE(c->expect_message(frame(cmd::kHardware, 111, body({"vw", "9", "small"}))))
        << "a body over buff-in must be dropped, the next one delivered";
}

/// A client's WebSocket frame (FIN, masked with the all-zero key, so the payload reads as is).
std::string client_frame(uint8_t opcode, std::string_view payload) {
    std::string f{static_cast<char>(0x80 | opcode), static_cast<char>(0x80 | payload.size())};
    f.append(4, '\0');
    f.append(payload);
    return f;
}

// OpenSSL writes with write(2): the server's Close reply and close_notify to a wss peer that has
// already dropped the connection hit a reset socket. That must be an EPIPE for this session, not
// a SIGPIPE for the process (node-red-contrib-blynk-ws closes exactly like this).
TEST_F(WebSocketTest, WssPeersThatSendCloseAndDropTheConnectionDoNotStopTheServer) {
    TlsOptions tls;
    tls.ca_file = (server_->data_dir() / "tls" / "cert.pem").string();
    for (int i = 0; i < 40; ++i) {
        RawClient c(server_->tls_port(), tls);
        c.send(
            "GET /websockets HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n");
        ASSERT_NE(c.read_until("\r\n\r\n").find("101 Switching Protocols"), std::string::npos);
        c.send(client_frame(0x2, frame(cmd::kHardwareLogin, 1, token_a_)));
        ASSERT_TRUE(c.expect(std::string{'\x82', 5} + response(1, status::kOk)));
        c.send(client_frame(0x8, "\x03\xe8"));  // Close (1000), then gone without reading
    }
    auto after = ws("/websockets", true);
    login(*after, token_b_);
}

class WebSocketIdleTest : public WebSocketTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"hard.socket.idle.timeout", "1"}};
    }
};

TEST_F(WebSocketIdleTest, IdleRulesAreTheHardwareOnes) {
    auto c = ws("/websockets", true);
    login(*c, token_a_);
    EXPECT_TRUE(c->expect_closed(8s));
    EXPECT_TRUE(server_->wait_for_log("idle for 3 s"));
}

}  // namespace
}  // namespace blynk::test
