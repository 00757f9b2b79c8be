#include <nlohmann/json.hpp>

#include "tests/support/fixture.hpp"
#include "tests/support/http_client.hpp"

namespace blynk::test {
namespace {

using nlohmann::json;

class HttpTest : public ServerTest {
protected:
    HttpResponse call(const std::string& method, const std::string& target,
                      const std::string& body = "", const std::string& type = "") {
        return http_call(server_->port(), method, target, body, type);
    }
    std::string t() const { return "/" + token_a_; }
};

TEST_F(HttpTest, UpdateByQueryReachesTheDeviceWithId111AndIsReadBack) {
    auto device = logged_in(token_a_);
    auto r = call("GET", t() + "/update/V1?value=110&value=230");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.header("access-control-allow-origin"), "*");
    EXPECT_TRUE(
        device->expect(std::string("\x14\x00\x6f\x00\x0c"
                                   "vw\x00"
                                   "1\x00"
                                   "110\x00"
                                   "230",
                                   17)));
    auto get = call("GET", t() + "/get/v1");
    EXPECT_EQ(get.status, 200);
    EXPECT_EQ(get.body, R"(["110","230"])");
    EXPECT_EQ(get.header("content-type"), "application/json;charset=utf-8");
}

TEST_F(HttpTest, PutUpdateAndThePinAlias) {
    auto r = call("PUT", t() + "/update/v10", R"(["100"])", "application/json");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(call("GET", t() + "/get/V10").body, R"(["100"])");
    r = call("PUT", t() + "/pin/D5", R"(["1", 2.5])", "application/json; charset=utf-8");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(call("GET", t() + "/get/d5").body, R"(["1","2.5"])");
    r = call("PUT", t() + "/update/v10", R"(["1"])", "text/plain");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body, "Unexpected content type. Expecting application/json.");
    r = call("PUT", t() + "/update/v10", "not json", "application/json");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body, "Error parsing body param. not json");
    r = call("PUT", t() + "/update/v10", "[]", "application/json");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, "No pin for update provided.");
}

TEST_F(HttpTest, ErrorsHaveTheJavaServersStatusesAndTexts) {
    auto bad_token = call("GET", "/bad-token/get/d8");
    EXPECT_EQ(bad_token.status, 400);
    EXPECT_EQ(bad_token.body, "Invalid token.");
    EXPECT_EQ(bad_token.header("content-type"), "text/plain;charset=utf-8");
    auto bad_pin = call("GET", t() + "/get/v256");
    EXPECT_EQ(bad_pin.status, 400);
    EXPECT_EQ(bad_pin.body, "Wrong pin format.");
    EXPECT_EQ(call("GET", t() + "/get/x1").body, "Wrong pin format.");
    auto missing = call("GET", t() + "/get/V99");
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.body, "Requested pin doesn't exist in the app.");
    auto no_route = call("GET", t() + "/nothing/here");
    EXPECT_EQ(no_route.status, 404);
    EXPECT_EQ(no_route.body, "");
    EXPECT_EQ(call("DELETE", t() + "/get/V1").status, 404);
    auto wrong_format = call("GET", t() + "/update/V1?foo=1");
    EXPECT_EQ(wrong_format.status, 400);
    EXPECT_EQ(wrong_format.body, "Wrong request format.");
}

TEST_F(HttpTest, DeviceWritesAreReadBackWithProperJsonEscaping) {
    auto device = logged_in(token_a_);
    const std::string odd = std::string(
        "q\"uo\\te\x01 \xc2\xb0"
        "C");
    device->send_frame(cmd::kHardware, 2, body({"vw", "7", odd, "second"}));
    device->send_frame(cmd::kHardware, 3, body({"vw", "8", std::string("\xff\xfe")}));
    device->send_frame(cmd::kPing, 4);
    ASSERT_TRUE(device->expect_response(4, status::kOk));
    auto r = call("GET", t() + "/get/V7");
    ASSERT_EQ(r.status, 200);
    json parsed = json::parse(r.body);
    EXPECT_EQ(parsed, json::array({odd, "second"})) << r.body;
    auto invalid = call("GET", t() + "/get/V8");
    ASSERT_EQ(invalid.status, 200);
    EXPECT_NO_THROW(json::parse(invalid.body)) << "invalid UTF-8 must still give valid JSON";
    EXPECT_EQ(json::parse(invalid.body).size(), 1u);
}

TEST_F(HttpTest, PropertiesByQueryAreNeverSentToTheDevice) {
    auto device = logged_in(token_a_);
    auto r = call("GET", t() + "/update/V4?color=%23FF0000");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(device->expect_silence());
    EXPECT_EQ(call("GET", t() + "/update/V4?label=Hello+World").status, 200);
}

TEST_F(HttpTest, ConnectionStateProjectAndRtc) {
    auto off = call("GET", t() + "/isHardwareConnected");
    EXPECT_EQ(off.status, 200);
    EXPECT_EQ(off.body, "false");
    {
        auto device = logged_in(token_a_);
        EXPECT_EQ(call("GET", t() + "/isHardwareConnected").body, "true");
    }
    EXPECT_EQ(call("GET", t() + "/isAppConnected").body, "false");
    auto project = call("GET", t() + "/project");
    ASSERT_EQ(project.status, 200);
    json p = json::parse(project.body);
    EXPECT_EQ(p["id"], 1);
    ASSERT_EQ(p["devices"].size(), 2u);
    EXPECT_EQ(p["devices"][0]["name"], "Board A");
    EXPECT_EQ(project.body.find(token_a_), std::string::npos) << "tokens are private";
    auto rtc = call("GET", t() + "/rtc");
    ASSERT_EQ(rtc.status, 200);
    long long secs = std::stoll(json::parse(rtc.body)[0].get<std::string>());
    EXPECT_NEAR(secs, static_cast<long long>(std::time(nullptr)), 5);
}

TEST_F(HttpTest, EmailChecksTheBodyThenTheProject) {
    // notify: tests/integration/notify_test.cpp
    auto r = call("POST", t() + "/email", R"({"to":"a@b.c"})", "application/json");
    EXPECT_EQ(r.body, "Email body is wrong. Missing or empty fields 'to', 'subj'.");
    r = call("POST", t() + "/email", R"({"to":"a@b.c","subj":"s","title":"t"})",
             "application/json");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, "Project is not active.") << "the Mail widget is looked for after that";
}

TEST_F(HttpTest, ExtraPinStoresTheFirstPointAndForwardsIt) {
    auto device = logged_in(token_a_);
    auto r = call(
        "PUT", t() + "/extra/pin/V2",
        R"([{"timestamp":1700000000000,"value":"10"},{"timestamp":1700000001000,"value":"11"}])",
        "application/json");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(device->expect_frame(cmd::kHardware, 111, body({"vw", "2", "10"})));
    EXPECT_EQ(call("GET", t() + "/get/V2").body, R"(["10"])");
}

TEST_F(HttpTest, CorsPreflightAndHead) {
    RawClient c(server_->port());
    c.send(http_request("OPTIONS", t() + "/update/V1", "", "",
                        "Origin: http://example.com\r\nAccess-Control-Request-Method: PUT\r\n"));
    auto pre = read_http_response(c);
    EXPECT_EQ(pre.status, 204);
    EXPECT_EQ(pre.header("access-control-allow-origin"), "*");
    EXPECT_NE(pre.header("access-control-allow-methods").find("PUT"), std::string::npos);
    c.send(http_request("HEAD", t() + "/isHardwareConnected"));
    auto head = read_http_response(c, true);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("content-length"), "5");
    EXPECT_TRUE(c.expect_silence(200ms)) << "HEAD sent a body";
}

TEST_F(HttpTest, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
    RawClient c(server_->port());
    c.send(http_request("GET", t() + "/update/V3?value=a") + http_request("GET", t() + "/get/V3") +
           http_request("GET", "/nope"));
    auto first = read_http_response(c);
    auto second = read_http_response(c);
    auto third = read_http_response(c);
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(second.body, R"(["a"])");
    EXPECT_EQ(third.status, 404);
    c.send(http_request("GET", t() + "/get/V3"));
    EXPECT_EQ(read_http_response(c).body, R"(["a"])") << "the connection was kept alive";
}

TEST_F(HttpTest, PathTraversalFindsNothing) {
    for (std::string target :
         {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/../../../../etc/passwd",
          "/api/..%2f..%2f..%2fetc%2fpasswd", "/api/openapi.json/../../../etc/passwd",
          "/..%5c..%5cetc%5cpasswd"}) {
        auto r = call("GET", target);
        EXPECT_EQ(r.status, 404) << target;
        EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
    }
}

TEST_F(HttpTest, OpenApiDocumentIsServed) {
    auto r = call("GET", "/api/openapi.json");
    ASSERT_EQ(r.status, 200);
    json doc = json::parse(r.body);
    EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
    EXPECT_TRUE(doc["paths"].contains("/{token}/get/{pin}"));
}

TEST_F(HttpTest, HttpsOnTheTlsPort) {
    RawClient c(server_->tls_port(),
                TlsOptions{(server_->data_dir() / "tls" / "cert.pem").string()});
    c.send(http_request("GET", t() + "/update/V6?value=tls"));
    EXPECT_EQ(read_http_response(c).status, 200);
    c.send(http_request("GET", t() + "/get/V6"));
    EXPECT_EQ(read_http_response(c).body, R"(["tls"])");
}

class HttpLimitsTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"web.request.max.size", "1024"},
                {"http.header.timeout", "1"},
                {"http.body.timeout", "1"},
                {"log.level", "debug"}};
    }
};

TEST_F(HttpLimitsTest, OversizedBodiesGet413) {
    RawClient c(server_->port());
    std::string big(5000, 'x');
    c.send(http_request("PUT", "/" + token_a_ + "/update/V1", "[\"" + big + "\"]",
                        "application/json"));
    auto r = read_http_response(c);
    EXPECT_EQ(r.status, 413);
    EXPECT_TRUE(c.expect_closed());
}

TEST_F(HttpLimitsTest, SlowHeadersAreCutOff) {
    RawClient c(server_->port());
    c.send("GET /" + token_a_ + "/get/V1 HTTP/1.1\r\nHo");
    auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.expect_closed(4s));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 800ms);
    EXPECT_TRUE(server_->wait_for_log("request header not received within 1 s"));
}

TEST_F(HttpLimitsTest, SlowBodiesAreCutOff) {
    RawClient c(server_->port());
    c.send("PUT /" + token_a_ +
           "/update/V1 HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[");
    EXPECT_TRUE(c.expect_closed(4s));
    EXPECT_TRUE(server_->wait_for_log("request body not received within 1 s"));
}

TEST_F(HttpLimitsTest, ClientsThatStopReadingResponsesAreCutOff) {
    RawClient c(server_->port());
    constexpr size_t kRequests = 2000;  // ~40 MB of answers: far more than both socket buffers
    std::string requests;
    for (size_t i = 0; i < kRequests; ++i)
        requests += "GET /api/openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n";
    c.send(requests);
    EXPECT_TRUE(server_->wait_for_log("response not taken by the client within 1 s; closing"));
    // What was written before the server gave up is still in the socket; then it is closed.
    size_t received = 0;
    for (std::string got; !(got = c.read_for(2s)).empty();)
        received += got.size();
    EXPECT_FALSE(c.open());
    EXPECT_GT(received, 0u);
    EXPECT_LT(received, kRequests / 2 * 19000) << "the server did not stop answering";
}

TEST_F(HttpLimitsTest, GarbageRequestsGet400AndTokensAreNotLoggedWhole) {
    RawClient c(server_->port());
    c.send("GET /x HTTP/1.1\r\nBroken header line\r\n\r\n");
    EXPECT_EQ(read_http_response(c).status, 400);
    EXPECT_EQ(http_call(server_->port(), "GET", "/" + token_a_ + "/get/V1").status, 400);
    EXPECT_TRUE(server_->wait_for_log("/get/V1 -> 400"));
    EXPECT_EQ(server_->log().find(token_a_), std::string::npos) << "a whole token was logged";
}

}  // namespace
}  // namespace blynk::test
