#include <gtest/gtest.h>

#include <string>

#include "server/hub/notify_rules.hpp"
#include "server/hub/notify_widget.hpp"

namespace blynk::hub {
namespace {

using namespace std::chrono_literals;

TEST(NotifyBody, CountsJavaCharactersNotBytes) {
    EXPECT_EQ(java_length(""), 0u);
    EXPECT_EQ(java_length("abc"), 3u);
    EXPECT_EQ(java_length("\xC3\xA9"), 1u);          // é: 2 bytes, 1 char
    EXPECT_EQ(java_length("\xE2\x82\xAC"), 1u);      // €: 3 bytes, 1 char
    EXPECT_EQ(java_length("\xF0\x9F\x94\xA5"), 2u);  // U+1F525: a surrogate pair in Java
    EXPECT_EQ(java_length(std::string("a\0b", 3)), 3u);
    // Invalid bytes decode to one U+FFFD each: a lone continuation, a cut sequence, an
    // overlong '/', a surrogate and a lead byte past U+10FFFF.
    EXPECT_EQ(java_length("\x80"), 1u);
    EXPECT_EQ(java_length("\xE2\x82"), 2u);
    EXPECT_EQ(java_length("\xC0\xAF"), 2u);
    EXPECT_EQ(java_length("\xED\xA0\x80"), 3u);
    EXPECT_EQ(java_length("\xF5\x80\x80\x80"), 4u);
}

TEST(NotifyBody, OneTo255Characters) {
    EXPECT_FALSE(notify_body_ok(""));
    EXPECT_TRUE(notify_body_ok("x"));
    EXPECT_TRUE(notify_body_ok(std::string(255, 'x')));
    EXPECT_FALSE(notify_body_ok(std::string(256, 'x')));
    // 255 two-byte characters (510 bytes) pass; 128 four-byte ones (256 Java chars) do not.
    std::string accents;
    for (int i = 0; i < 255; ++i)
        accents += "\xC3\xA9";
    EXPECT_TRUE(notify_body_ok(accents));
    std::string emoji;
    for (int i = 0; i < 127; ++i)
        emoji += "\xF0\x9F\x94\xA5";
    EXPECT_TRUE(notify_body_ok(emoji + "x"));                  // 254 + 1
    EXPECT_FALSE(notify_body_ok(emoji + "\xF0\x9F\x94\xA5"));  // 256
}

TEST(NotifyBody, DeviceNamePlaceholder) {
    EXPECT_EQ(with_device_name("{DEVICE_NAME} is hot", "Tank"), "Tank is hot");
    EXPECT_EQ(with_device_name("{DEVICE_NAME}/{DEVICE_NAME}", "a"), "a/a");
    EXPECT_EQ(with_device_name("{DEVICE_NAME", "a"), "{DEVICE_NAME");
    EXPECT_EQ(with_device_name("{device_name}", "a"), "{device_name}");
    EXPECT_EQ(with_device_name("x{DEVICE_NAME}", ""), "x");
}

TEST(NotifyLimiter, OnePerDevicePerInterval) {
    NotifyLimiter limiter;
    const NotifyLimiter::Clock::time_point t0{std::chrono::hours(1)};
    const DeviceRef a{1, 0}, b{1, 1};
    EXPECT_TRUE(limiter.try_take(a, t0, 5s));
    EXPECT_FALSE(limiter.try_take(a, t0 + 4999ms, 5s));
    EXPECT_TRUE(limiter.try_take(b, t0 + 1s, 5s));  // another device has its own window
    // A refused one does not move the window: 5 s after the first is allowed again.
    EXPECT_TRUE(limiter.try_take(a, t0 + 5s, 5s));
    EXPECT_FALSE(limiter.try_take(a, t0 + 9s, 5s));
    limiter.forget(a);
    EXPECT_TRUE(limiter.try_take(a, t0 + 9s, 5s));
}

TEST(NotifyLimiter, ZeroIntervalNeverLimits) {
    NotifyLimiter limiter;
    const NotifyLimiter::Clock::time_point t0{};
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(limiter.try_take(DeviceRef{}, t0, 0s));
}

model::Dashboard dash_with(std::string widget_json, std::string type = "NOTIFICATION") {
    model::Dashboard dash;
    model::Widget w;
    w.type = std::move(type);
    w.json = std::move(widget_json);
    dash.widgets.push_back(std::move(w));
    return dash;
}

TEST(NotifyWidget, ChannelsFromTheWidgetJson) {
    EXPECT_FALSE(notify_channels(model::Dashboard{}));
    EXPECT_FALSE(notify_channels(dash_with(R"({"id":1})", "BUTTON")));

    auto defaults = notify_channels(dash_with(R"({"id":1,"type":"NOTIFICATION"})"));
    ASSERT_TRUE(defaults);
    EXPECT_TRUE(defaults->console);
    EXPECT_TRUE(defaults->email_to.empty());
    EXPECT_TRUE(defaults->webhook_url.empty());

    auto all = notify_channels(dash_with(
        R"({"id":1,"webConsole":false,"emailTo":"me@example.com","webhookUrl":"http://127.0.0.1/h"})"));
    ASSERT_TRUE(all);
    EXPECT_FALSE(all->console);
    EXPECT_EQ(all->email_to, "me@example.com");
    EXPECT_EQ(all->webhook_url, "http://127.0.0.1/h");
    EXPECT_TRUE(all->any());

    auto none = notify_channels(dash_with(R"({"id":1,"webConsole":false,"emailTo":5})"));
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->any());  // a wrong type counts as absent
}

}  // namespace
}  // namespace blynk::hub
