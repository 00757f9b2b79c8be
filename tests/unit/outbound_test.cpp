// The pure parts of mail and webhooks: Java's webhook placeholders, recipients, the mail text,
// mail.properties and the per-user limits.

#include <fstream>

#include <gtest/gtest.h>

#include "config/keys.hpp"
#include "server/hub/webhooks.hpp"
#include "server/outbound/mail_settings.hpp"
#include "server/outbound/mail_text.hpp"
#include "server/outbound/user_limits.hpp"

namespace blynk::outbound {
namespace {

using hub::webhooks::fill_placeholders;

TEST(WebhookPlaceholders, EachIsReplacedOnceAsJavaDid) {
    const std::string multi = std::string("1") + '\0' + "2" + '\0' + "3";
    EXPECT_EQ(fill_placeholders("http://x/pin[0]/a/pin[2]/b/pin[3]/", multi, "o@x", "T"),
              "http://x1a3b/pin[3]/");
    EXPECT_EQ(fill_placeholders("/pin/ /pin/ %s %s", "7", "o@x", "T"), "7 /pin/ 7 %s");
    EXPECT_EQ(fill_placeholders("/datetime_iso/ device_owner_email", "7", "o@x", "T"), "T o@x");
    EXPECT_EQ(fill_placeholders("/pin[1]/", "7", "o@x", "T"), "/pin[1]/") << "one part only";
}

TEST(MailRecipients, CommaSeparatedPlausibleAddresses) {
    EXPECT_EQ(parse_recipients(" a@x.org , b@y.org"),
              (std::vector<std::string>{"a@x.org", "b@y.org"}));
    EXPECT_FALSE(parse_recipients(""));
    EXPECT_FALSE(parse_recipients("a@x.org, nobody"));
    EXPECT_FALSE(parse_recipients("a@x.org\r\nRCPT TO:<c@z.org>"));
}

TEST(MailText, HeadersAreSafeAndTheBodyIsBase64) {
    const auto text = mail_text({"a@x.org", "Line\r\nBcc: evil@x.org \xc3\xa9", "Hi", false},
                                "Blynk <b@y.org>", 0);
    EXPECT_NE(text.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
    EXPECT_NE(text.find("From: Blynk <b@y.org>\r\nTo: a@x.org\r\n"), std::string::npos);
    EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos) << text;
    EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos);
    EXPECT_NE(text.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
    EXPECT_TRUE(text.ends_with("\r\n\r\nSGk=\r\n")) << text;
}

TEST(MailSettingsFile, JavaKeysWithDefaultsAndClearErrors) {
    const auto path = std::filesystem::temp_directory_path() / "blynkd-mail-settings-test";
    auto load = [&](const std::string& text) {
        std::ofstream(path) << text;
        std::vector<std::string> warnings;
        return load_mail_settings(path, warnings);
    };
    auto s = load("mail.smtp.host=smtp.gmail.com\nmail.smtp.username=u@gmail.com\n");
    EXPECT_EQ(s.url(), "smtp://smtp.gmail.com:587");
    EXPECT_EQ(s.tls, MailTls::StartTls);
    EXPECT_TRUE(s.auth);
    EXPECT_TRUE(s.verify);
    EXPECT_EQ(s.from, "u@gmail.com");
    s = load("mail.smtp.host=h\nmail.smtp.ssl.enable=true\nmail.from=a@b\n");
    EXPECT_EQ(s.url(), "smtps://h:465");
    EXPECT_FALSE(s.auth);
    EXPECT_THROW(load("mail.smtp.port=25\n"), config::ConfigError);
    EXPECT_THROW(load("mail.smtp.host=h\nmail.from=a@b\nmail.smtp.prot=25\n"), config::ConfigError);
    EXPECT_THROW(load("mail.smtp.host=h\nmail.from=a@b\nmail.smtp.port=x\n"), config::ConfigError);
    std::filesystem::remove(path);
}

TEST(UserLimits, HundredMailsADayAndOneWebhookPerInterval) {
    UserLimits limits(std::chrono::milliseconds(1000));
    const auto t0 = UserLimits::Clock::now();
    for (uint32_t i = 0; i < UserLimits::kMailsPerDay; ++i)
        ASSERT_TRUE(limits.take_mail("a", t0));
    EXPECT_FALSE(limits.take_mail("a", t0));
    EXPECT_TRUE(limits.take_mail("b", t0));
    EXPECT_TRUE(limits.take_mail("a", t0 + std::chrono::hours(24)));
    EXPECT_TRUE(limits.take_webhook("a", t0));
    EXPECT_FALSE(limits.take_webhook("a", t0 + std::chrono::milliseconds(999)));
    EXPECT_TRUE(limits.take_webhook("a", t0 + std::chrono::milliseconds(1000)));
}

}  // namespace
}  // namespace blynk::outbound
