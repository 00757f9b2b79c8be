// Serving the web console (server/http/console): the files, ETags, gzip, security headers, and
// the plain port's redirect to TLS, over a small set of files of the test's own.

#include "server/http/console.hpp"

#include <zlib.h>

#include <array>

#include <gtest/gtest.h>

namespace blynk::http {
namespace {

const std::string kIndex = "<!doctype html><title>console</title>" + std::string(400, ' ');
const std::string kScript = "export const x = 1;\n";
const std::array<EmbeddedFile, 3> kFiles{
    {{"/assets/js/main.js", kScript}, {"/assets/logo.png", "\x89PNG"}, {"/index.html", kIndex}}};

std::string header(const ApiResponse& r, std::string_view name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return v;
    return {};
}

std::string gunzip(const std::string& data) {
    z_stream s{};
    EXPECT_EQ(inflateInit2(&s, 15 + 16), Z_OK);
    std::string out(64 * 1024, '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    s.avail_in = static_cast<uInt>(data.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&s, Z_FINISH), Z_STREAM_END);
    out.resize(s.total_out);
    inflateEnd(&s);
    return out;
}

class ConsoleTest : public ::testing::Test {
protected:
    ConsoleTest() : files_(kFiles), console_(files_, ConsoleOptions{}) {
        console_.set_ports(8080, 9443);
    }
    std::optional<ApiResponse> get(std::string_view target, bool tls = true,
                                   std::string_view accept_encoding = {},
                                   std::string_view if_none_match = {},
                                   std::string_view method = "GET") {
        return console_.serve(
            ConsoleRequest{method, target, "pi.local:8080", accept_encoding, if_none_match, tls});
    }

    StaticFiles files_;
    Console console_;
};

TEST_F(ConsoleTest, ServesTheIndexAtTheRootWithStrictHeaders) {
    auto r = get("/");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, kIndex);
    EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
    EXPECT_FALSE(r->any_origin) << "no Access-Control-Allow-Origin on the console";
    EXPECT_NE(header(*r, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(header(*r, "Content-Security-Policy").find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(header(*r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(*r, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(header(*r, "X-Frame-Options"), "DENY");
    EXPECT_EQ(header(*r, "Cache-Control"), "no-cache");
    EXPECT_EQ(header(*r, "ETag").size(), 26u) << "24 hex digits, quoted";
    EXPECT_EQ(header(*r, "Content-Encoding"), "");
    EXPECT_EQ(get("/index.html")->body, kIndex);
    EXPECT_EQ(get("/?from=app")->body, kIndex) << "the query is not part of the path";
}

TEST_F(ConsoleTest, GzipWhenAcceptedAndWorthIt) {
    auto r = get("/", true, "br, gzip;q=0.8");
    ASSERT_TRUE(r);
    EXPECT_EQ(header(*r, "Content-Encoding"), "gzip");
    EXPECT_EQ(header(*r, "Vary"), "Accept-Encoding");
    EXPECT_LT(r->body.size(), kIndex.size());
    EXPECT_EQ(gunzip(r->body), kIndex);
    EXPECT_EQ(header(*get("/", true, "gzip;q=0"), "Content-Encoding"), "") << "refused";
    EXPECT_EQ(get("/assets/logo.png", true, "gzip")->body, "\x89PNG") << "images as they are";
    EXPECT_EQ(get("/assets/logo.png")->content_type, "image/png");
    EXPECT_EQ(get("/assets/js/main.js")->content_type, "text/javascript; charset=utf-8");
}

TEST_F(ConsoleTest, AMatchingETagIsAnsweredNotModified) {
    const std::string etag = header(*get("/"), "ETag");
    auto r = get("/", true, {}, etag);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 304u);
    EXPECT_EQ(r->body, "");
    EXPECT_EQ(header(*r, "ETag"), etag);
    EXPECT_EQ(get("/", true, {}, "\"other\", W/" + etag)->status, 304u);
    EXPECT_EQ(get("/", true, {}, "\"other\"")->status, 200u);
    EXPECT_NE(header(*get("/assets/js/main.js"), "ETag"), etag);
}

TEST_F(ConsoleTest, OnlyTheConsolesPathsAreTaken) {
    EXPECT_FALSE(get("/api/openapi.json")) << "the REST API's";
    EXPECT_FALSE(get("/0123456789abcdef/get/V1"));
    EXPECT_FALSE(get("/index.htm"));
    EXPECT_EQ(get("/assets/missing.js")->status, 404u);
    EXPECT_EQ(get("/assets/")->status, 404u) << "no listing";
    EXPECT_EQ(get("/assets/../index.html")->status, 404u) << "no path walking";
    EXPECT_EQ(get("/assets/js/../js/main.js")->status, 404u);
    EXPECT_EQ(get("/assets/%2e%2e/index.html")->status, 404u);
    auto post = get("/", true, {}, {}, "POST");
    EXPECT_EQ(post->status, 405u);
    EXPECT_EQ(header(*post, "Allow"), "GET, HEAD");
    EXPECT_EQ(get("/", true, {}, {}, "HEAD")->status, 200u);
}

TEST_F(ConsoleTest, ThePlainPortRedirectsToTls) {
    auto r = get("/assets/js/main.js?v=2", false);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 307u);
    EXPECT_EQ(header(*r, "Location"), "https://pi.local:9443/assets/js/main.js?v=2");
    auto v6 = console_.serve(ConsoleRequest{"GET", "/", "[::1]:8080", {}, {}, false});
    EXPECT_EQ(header(*v6, "Location"), "https://[::1]:9443/");
    auto bad = console_.serve(ConsoleRequest{"GET", "/", "evil.com/x", {}, {}, false});
    EXPECT_EQ(bad->status, 400u);
    auto none = console_.serve(ConsoleRequest{"GET", "/", "", {}, {}, false});
    EXPECT_EQ(none->status, 400u);
    console_.set_ports(80, 443);
    EXPECT_EQ(header(*get("/", false), "Location"), "https://pi.local/");

    Console plain(files_, ConsoleOptions{true});
    auto served = plain.serve(ConsoleRequest{"GET", "/", "pi.local:8080", {}, {}, false});
    EXPECT_EQ(served->status, 200u) << "web.console.plain=true";
    EXPECT_EQ(served->body, kIndex);
}

TEST(ConsolePorts, ThePageSaysThePlainPortBoardsUse) {
    const std::string page =
        "<meta name=\"blynk-hardware-port\" content=\"@HARDWARE_PORT@\">" + std::string(200, ' ');
    const std::array<EmbeddedFile, 1> files{{{"/index.html", page}}};
    StaticFiles embedded(files);
    Console console(embedded, ConsoleOptions{});
    const std::string before =
        header(*console.serve(ConsoleRequest{"GET", "/", "h", {}, {}, true}), "ETag");
    console.set_ports(18080, 19443);
    auto r = console.serve(ConsoleRequest{"GET", "/", "h", "gzip", {}, true});
    ASSERT_TRUE(r);
    const std::string expected =
        "<meta name=\"blynk-hardware-port\" content=\"18080\">" + std::string(200, ' ');
    EXPECT_EQ(gunzip(r->body), expected);
    EXPECT_NE(header(*r, "ETag"), before) << "a new body, a new ETag";
    EXPECT_EQ(console.serve(ConsoleRequest{"GET", "/index.html", "h", {}, {}, true})->body,
              expected);
}

TEST(ConsoleHeaders, AcceptEncoding) {
    EXPECT_TRUE(accepts_gzip("gzip"));
    EXPECT_TRUE(accepts_gzip("deflate, gzip, br"));
    EXPECT_TRUE(accepts_gzip("gzip;q=0.5"));
    EXPECT_TRUE(accepts_gzip("*"));
    EXPECT_FALSE(accepts_gzip(""));
    EXPECT_FALSE(accepts_gzip("br, deflate"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
    EXPECT_FALSE(accepts_gzip("x-gzip"));
}

TEST(ConsoleHeaders, HostWithoutPort) {
    EXPECT_EQ(host_without_port("pi.local:8080"), "pi.local");
    EXPECT_EQ(host_without_port("192.168.1.5"), "192.168.1.5");
    EXPECT_EQ(host_without_port("[fe80::1]:80"), "[fe80::1]");
    EXPECT_FALSE(host_without_port(""));
    EXPECT_FALSE(host_without_port(":8080"));
    EXPECT_FALSE(host_without_port("a@b.c"));
    EXPECT_FALSE(host_without_port("host:80x"));
    EXPECT_FALSE(host_without_port("[fe80::1"));
    EXPECT_FALSE(host_without_port("[x]"));
}

}  // namespace
}  // namespace blynk::http
