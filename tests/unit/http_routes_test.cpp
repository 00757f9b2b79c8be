// Route matching, URL decoding and the OpenAPI document against the route table.

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "server/http/openapi.hpp"
#include "server/http/routes.hpp"
#include "server/http/url.hpp"

namespace blynk::http {
namespace {

RouteMatch match(std::string_view method, std::string_view target) {
    auto t = parse_target(target);
    EXPECT_TRUE(t) << target;
    return match_route(method, t ? t->segments : std::vector<std::string>{});
}

TEST(HttpRoutes, MatchesEveryJavaPathWithItsParameters) {
    auto get = match("GET", "/abc/get/V1");
    EXPECT_EQ(get.endpoint, Endpoint::GetPin);
    EXPECT_EQ(get.token, "abc");
    EXPECT_EQ(get.pin, "V1");
    EXPECT_EQ(match("GET", "/abc/update/d5?value=1").endpoint, Endpoint::UpdatePinQuery);
    EXPECT_EQ(match("PUT", "/abc/update/v0").endpoint, Endpoint::UpdatePinJson);
    EXPECT_EQ(match("PUT", "/abc/pin/v0").endpoint, Endpoint::UpdatePinJson);
    EXPECT_EQ(match("PUT", "/abc/extra/pin/A3").endpoint, Endpoint::UpdateExtraPin);
    EXPECT_EQ(match("GET", "/abc/isHardwareConnected").endpoint, Endpoint::IsHardwareConnected);
    EXPECT_EQ(match("GET", "/abc/isAppConnected").endpoint, Endpoint::IsAppConnected);
    EXPECT_EQ(match("GET", "/abc/project").endpoint, Endpoint::Project);
    EXPECT_EQ(match("GET", "/abc/rtc").endpoint, Endpoint::Rtc);
    EXPECT_EQ(match("POST", "/abc/notify").endpoint, Endpoint::Notify);
    EXPECT_EQ(match("POST", "/abc/email").endpoint, Endpoint::Email);
    EXPECT_EQ(match("GET", "/api/openapi.json").endpoint, Endpoint::OpenApi);
    EXPECT_EQ(match("HEAD", "/abc/get/V1").endpoint, Endpoint::GetPin);
}

TEST(HttpRoutes, UnknownPathsAndMethodsDoNotMatch) {
    EXPECT_EQ(match("GET", "/abc/get").endpoint, Endpoint::NotFound);
    EXPECT_EQ(match("GET", "/abc/get/V1/more").endpoint, Endpoint::NotFound);
    EXPECT_EQ(match("POST", "/abc/get/V1").endpoint, Endpoint::NotFound);
    EXPECT_EQ(match("GET", "/").endpoint, Endpoint::NotFound);
    EXPECT_EQ(match("GET", "/../../etc/passwd").endpoint, Endpoint::NotFound);
}

TEST(HttpUrl, PercentDecodingAndQueries) {
    auto t = parse_target("/a%20b/update/V1?value=1&value=%232&color=%23FF0000&x+y=a+b&flag");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->segments, (std::vector<std::string>{"a b", "update", "V1"}));
    EXPECT_EQ(query_values(*t, "value"), (std::vector<std::string>{"1", "#2"}));
    EXPECT_EQ(query_values(*t, "color"), std::vector<std::string>{"#FF0000"});
    EXPECT_EQ(query_values(*t, "x y"), std::vector<std::string>{"a b"});
    EXPECT_EQ(query_values(*t, "flag"), std::vector<std::string>{""});
    EXPECT_FALSE(parse_target("/bad%2"));
    EXPECT_FALSE(parse_target("/bad%zz"));
    EXPECT_FALSE(parse_target("no-slash"));
    EXPECT_EQ(*percent_decode("a%00b", false), std::string("a\0b", 3));
}

TEST(HttpUrl, WebSocketPathsAndRedaction) {
    EXPECT_TRUE(is_hardware_websocket_path("/websockets"));
    EXPECT_TRUE(is_hardware_websocket_path("/websocket"));
    EXPECT_TRUE(is_hardware_websocket_path("/websockets?x=1"));
    EXPECT_TRUE(is_hardware_websocket_path("/websockets/extra"));
    EXPECT_FALSE(is_hardware_websocket_path("/websocketsx"));
    EXPECT_FALSE(is_hardware_websocket_path("/dashws"));
    EXPECT_EQ(redact_target("/0123456789abcdef0123456789ABCDEF/get/V1"), "/0123…(32)/get/V1");
    EXPECT_EQ(redact_target("/api/openapi.json"), "/api/openapi.json");
    EXPECT_EQ(redact_target("//0123456789abcdef0123456789ABCDEF/get/V1"), "//0123…(32)/get/V1");
    EXPECT_EQ(redact_target("/x/../0123456789abcdef0123456789ABCDEF/get/V1?value=1"),
              "/x/../0123…(32)/get/V1?value=1");
    EXPECT_EQ(redact_target("/api/x?token=0123456789abcdef0123456789ABCDEF&a=b"),
              "/api/x?token=0123…(32)&a=b");
    EXPECT_EQ(redact_target(""), "");
    EXPECT_EQ(redact_target("/"), "/");
}

TEST(HttpOpenApi, DocumentedRoutesAreExactlyTheServedRoutes) {
    std::ifstream in(BLYNKD_SOURCE_DIR "/docs/openapi.json");
    ASSERT_TRUE(in) << "docs/openapi.json missing";
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), openapi_json()) << "the compiled-in document is stale";
    auto doc = nlohmann::json::parse(text.str());
    std::set<std::string> documented, served;
    for (const auto& [path, ops] : doc["paths"].items()) {
        for (const auto& [method, op] : ops.items()) {
            std::string m = method;
            for (auto& c : m)
                c = static_cast<char>(::toupper(c));
            documented.insert(m + " " + path);
            EXPECT_TRUE(op.contains("responses")) << m << " " << path;
        }
    }
    for (const auto& r : route_table())
        served.insert(std::string(r.method) + " " + std::string(r.pattern));
    EXPECT_EQ(documented, served);
}

}  // namespace
}  // namespace blynk::http

#include "server/http/api.hpp"
#include "server/model/pin.hpp"

namespace blynk::http {
namespace {

TEST(HttpPins, PinSyntaxOfTheRestApi) {
    for (std::string ok : {"V0", "v0", "D5", "d13", "A0", "a255", "V255"}) {
        EXPECT_TRUE(model::parse_pin_key(ok)) << ok;
    }
    for (std::string bad : {"V256", "V-1", "V", "", "x1", "V1a", "VV1", "V 1", "1", "V1000"}) {
        EXPECT_FALSE(model::parse_pin_key(bad)) << bad;
    }
    EXPECT_EQ(model::parse_pin_key("D13")->str(), "d13");
}

TEST(HttpJson, OddValuesAreEscaped) {
    EXPECT_EQ(json_string_array({}), "[]");
    EXPECT_EQ(json_string_array({"a\"b", "back\\slash"}), R"(["a\"b","back\\slash"])");
    EXPECT_EQ(json_string_array({std::string("nul\0inside", 10)}), R"(["nul\u0000inside"])");
    EXPECT_EQ(json_string_array({"\n\t\x01"}), R"(["\n\t\u0001"])");
    EXPECT_EQ(json_string_array({"\xc2\xb0"
                                 "C"}),
              "[\"\xc2\xb0"
              "C\"]")
        << "UTF-8 kept as is";
    EXPECT_EQ(json_string_array({"\xff"}), "[\"\xef\xbf\xbd\"]") << "invalid UTF-8 -> U+FFFD";
}

}  // namespace
}  // namespace blynk::http
