// The web console served by the real binary: the embedded files of web/public over TLS, byte for
// byte, and the plain port's redirect (server/http/console).

#include <fstream>
#include <sstream>

#include "tests/support/fixture.hpp"
#include "tests/support/http_client.hpp"

namespace blynk::test {
namespace {

std::string source_file(const std::string& path) {
    std::ifstream in(BLYNKD_SOURCE_DIR "/" + path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// web/public/index.html as the server sends it: with its plain port in the hardware-port tag.
std::string served_index(ServerProcess& server) {
    std::string page = source_file("web/public/index.html");
    const std::string mark = "@HARDWARE_PORT@";
    const size_t at = page.find(mark);
    if (at != std::string::npos) page.replace(at, mark.size(), std::to_string(server.port()));
    return page;
}

HttpResponse tls_get(ServerProcess& server, const std::string& target,
                     const std::string& headers = "") {
    RawClient c(server.tls_port(), TlsOptions{});
    c.send(http_request("GET", target, "", "", headers));
    return read_http_response(c);
}

TEST(Console, ServesTheEmbeddedIndexOverTls) {
    ServerProcess server;
    server.start();
    const std::string index = served_index(server);
    ASSERT_FALSE(index.empty());
    HttpResponse r = tls_get(server, "/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, index);
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(r.header("content-security-policy").find("default-src 'self'"), std::string::npos);
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("access-control-allow-origin"), "");
    const std::string etag = r.header("etag");
    ASSERT_FALSE(etag.empty());
    HttpResponse again = tls_get(server, "/", "If-None-Match: " + etag + "\r\n");
    EXPECT_EQ(again.status, 304);
    EXPECT_EQ(again.body, "");
    HttpResponse zipped = tls_get(server, "/", "Accept-Encoding: gzip\r\n");
    EXPECT_EQ(zipped.status, 200);
    EXPECT_EQ(zipped.header("content-encoding"), "gzip");
    EXPECT_EQ(zipped.body.substr(0, 2), "\x1f\x8b");
    EXPECT_EQ(tls_get(server, "/assets/nothing.js").status, 404);
    // The REST API is still there.
    EXPECT_EQ(tls_get(server, "/api/openapi.json").status, 200);
}

TEST(Console, ThePlainPortRedirectsToTheTlsPort) {
    ServerProcess server;
    server.start();
    RawClient c(server.port());
    c.send("GET /?x=1 HTTP/1.1\r\nHost: pi.local:" + std::to_string(server.port()) + "\r\n\r\n");
    HttpResponse r = read_http_response(c);
    EXPECT_EQ(r.status, 307);
    EXPECT_EQ(r.header("location"),
              "https://pi.local:" + std::to_string(server.tls_port()) + "/?x=1");
}

TEST(Console, PlainServingWhenConfigured) {
    ServerProcess server(std::map<std::string, std::string>{{"web.console.plain", "true"}});
    server.start();
    HttpResponse r = http_call(server.port(), "GET", "/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, served_index(server));
}

}  // namespace
}  // namespace blynk::test
