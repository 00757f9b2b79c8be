// E-mail against a real SMTP server run by the test (python3-aiosmtpd on 127.0.0.1): STARTTLS
// with a test certificate and AUTH, implicit TLS, retries after a 4xx, certificate checks, and
// every sender: a device's `email`, REST `email`, the app's EMAIL (tokens) and EXPORT_GRAPH_DATA
// (issue 13 item 3).

#include <openssl/evp.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/app_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/occurrences.hpp"

namespace blynk::test {
namespace {

const std::string kMailDashboard = R"({"id":1,"name":"Home","widgets":[
    {"type":"EMAIL","id":10,"width":1,"height":1,"contentType":"TEXT_PLAIN"},
    {"type":"ENHANCED_GRAPH","id":11,"width":8,"height":4,"dataStreams":[
      {"dataStream":{"pinType":"VIRTUAL","pin":5},"targetId":0},
      {"dataStream":{"pinType":"ANALOG","pin":1},"targetId":0}]}]})";

std::string base64_decoded(std::string text) {
    std::erase_if(text, [](char c) { return c == '\r' || c == '\n'; });
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    out.resize(n < 0 ? 0 : static_cast<size_t>(n));
    while (!text.empty() && text.back() == '=') {
        text.pop_back();
        out.pop_back();
    }
    return out;
}

/// A mail as the SMTP server received it.
struct Received {
    std::string from;
    std::vector<std::string> to;
    bool starttls = false;
    std::string headers;  ///< the header block
    std::string body;     ///< decoded
};

struct SmtpOptions {
    bool implicit = false;
    int fail_first = 0;
    bool trust = true;  ///< give blynkd the test CA
    int retries = 3;
};

class MailTest : public AppTest {
protected:
    virtual SmtpOptions smtp() const { return {}; }

    std::map<std::string, std::string> settings() const override {
        auto s = AppTest::settings();
        s["mail.config"] = (dir_ / "mail.properties").string();
        s["server.public.url"] = "https://blynk.example.com/";
        return s;
    }

    void SetUp() override {
        static int count = 0;
        dir_ = std::filesystem::temp_directory_path() /
               ("blynkd-mail-" + std::to_string(getpid()) + "-" + std::to_string(++count));
        std::filesystem::create_directories(dir_ / "spool");
        make_test_certificate(dir_);
        const SmtpOptions o = smtp();
        std::vector<std::string> argv = {
            "/usr/bin/python3", BLYNKD_SOURCE_DIR "/tests/support/smtp_server.py",
            (dir_ / "spool").string(), (dir_ / "cert.pem").string(), (dir_ / "key.pem").string()};
        if (o.implicit) argv.push_back("--implicit");
        argv.insert(argv.end(), {"--fail-first", std::to_string(o.fail_first)});
        smtp_ = std::make_unique<ChildProcess>(argv, dir_ / "smtp.log");
        ASSERT_NE(smtp_->port(), 0) << smtp_->output();
        std::ofstream props(dir_ / "mail.properties");
        props << "mail.smtp.host=127.0.0.1\nmail.smtp.port=" << smtp_->port() << "\n"
              << (o.implicit ? "mail.smtp.ssl.enable=true\n" : "mail.smtp.starttls.enable=true\n")
              << "mail.smtp.auth=true\nmail.smtp.username=blynkd\nmail.smtp.password=s3cret\n"
              << "mail.from=Blynk <blynkd@example.com>\nmail.retry.delay.ms=100\n"
              << "mail.retry.attempts=" << o.retries << "\n";
        if (o.trust) props << "mail.smtp.ssl.ca.file=" << (dir_ / "cert.pem").string() << "\n";
        props.close();
        AppTest::SetUp();
    }

    void TearDown() override {
        AppTest::TearDown();
        smtp_.reset();
        std::error_code ec;
        if (!HasFailure()) std::filesystem::remove_all(dir_, ec);
    }

    /// The n-th mail (1-based), waiting for it up to 10 s.
    std::optional<Received> mail(int n) {
        const auto path = dir_ / "spool" / ("mail-" + std::to_string(n) + ".json");
        for (int i = 0; i < 200 && !std::filesystem::exists(path); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::ifstream in(path);
        if (!in) return std::nullopt;
        const auto j = nlohmann::json::parse(in);
        Received r{j["from"], j["to"], j["tls"], "", ""};
        const std::string message = j["message"];
        const auto split = message.find("\r\n\r\n");
        r.headers = message.substr(0, split);
        r.body = base64_decoded(message.substr(split + 4));
        return r;
    }

    /// A dashboard with the Mail widget and a chart, active.
    std::unique_ptr<AppClient> app_with_mail_widget() {
        auto a = logged_in_app();
        a->send(cmd::kUpdateDash, 2, kMailDashboard);
        EXPECT_TRUE(a->expect_response(2, status::kOk));
        a->send(cmd::kActivateDashboard, 3, "1");
        EXPECT_TRUE(a->expect_response(3, status::kDeviceNotInNetwork));
        return a;
    }

    std::filesystem::path dir_;
    std::unique_ptr<ChildProcess> smtp_;
};

TEST_F(MailTest, EverySenderMailsOverStartTlsWithAuth) {
    auto a = app_with_mail_widget();
    a->send(cmd::kEmail, 4, "1");
    ASSERT_TRUE(a->expect_response(4, status::kOk));
    auto tokens = mail(1);
    ASSERT_TRUE(tokens);
    EXPECT_EQ(tokens->from, "blynkd@example.com");
    EXPECT_EQ(tokens->to, std::vector<std::string>{kEmail});
    EXPECT_TRUE(tokens->starttls);
    EXPECT_NE(tokens->headers.find("Subject: Auth Token for Home project and device Board A"),
              std::string::npos)
        << tokens->headers;
    EXPECT_NE(tokens->headers.find("From: Blynk <blynkd@example.com>"), std::string::npos);
    EXPECT_EQ(tokens->body, "Auth Token : " + cli_token_ + "\n");

    a->send(cmd::kExportGraphData, 5, body({"1", "11"}));
    ASSERT_TRUE(a->expect_response(5, status::kOk));
    auto links = mail(2);
    ASSERT_TRUE(links);
    EXPECT_NE(links->headers.find("Subject: History graph data for project Home"),
              std::string::npos);
    EXPECT_NE(links->headers.find("Content-Type: text/html"), std::string::npos);
    EXPECT_EQ(links->body, "<html><body><a href=\"https://blynk.example.com/" + cli_token_ +
                               "/data/V5\">Board A V5</a><br><a href=\"https://blynk.example.com/" +
                               cli_token_ + "/data/A1\">Board A A1</a><br></body></html>");
    a->send(cmd::kExportGraphData, 6, body({"1", "10"}));
    EXPECT_TRUE(a->expect_response(6, status::kIllegalCommand)) << "not a chart";

    auto b = board(cli_token_);
    b->send_frame(cmd::kEmail, 7,
                  body({"bob@example.org, carol@example.org", "Hi from {DEVICE_NAME}",
                        "Tank full.\n.\nA line with a dot, and \xc3\xa9."}));
    ASSERT_TRUE(b->expect_response(7, status::kOk));
    auto device = mail(3);
    ASSERT_TRUE(device);
    EXPECT_EQ(device->to, (std::vector<std::string>{"bob@example.org", "carol@example.org"}));
    EXPECT_NE(device->headers.find("Subject: Hi from Board A"), std::string::npos);
    EXPECT_NE(device->headers.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
    EXPECT_EQ(device->body, "Tank full.\n.\nA line with a dot, and \xc3\xa9.");
    b->send_frame(cmd::kEmail, 8, body({"not-an-address", "s", "b"}));
    EXPECT_TRUE(b->expect_response(8, status::kIllegalCommand));
    b->send_frame(cmd::kEmail, 9, "only a subject");
    EXPECT_TRUE(b->expect_response(9, status::kIllegalCommand));

    const auto rest = http_call(server_->port(), "POST", "/" + cli_token_ + "/email",
                                R"({"to":"dave@example.org","subj":"REST","title":"From curl"})",
                                "application/json");
    EXPECT_EQ(rest.status, 200) << rest.body;
    auto from_rest = mail(4);
    ASSERT_TRUE(from_rest);
    EXPECT_EQ(from_rest->to, std::vector<std::string>{"dave@example.org"});
    EXPECT_EQ(from_rest->body, "From curl");
    EXPECT_TRUE(server_->wait_for_log("mail for alice@example.com sent to dave@example.org"));
}

TEST_F(MailTest, WithoutMailWidgetDevicesAreNotAllowed) {
    auto b = board(cli_token_);
    b->send_frame(cmd::kEmail, 2, body({"Subject", "Body"}));
    EXPECT_TRUE(b->expect_response(2, status::kNotAllowed));
    const auto rest = http_call(server_->port(), "POST", "/" + cli_token_ + "/email",
                                R"({"to":"dave@example.org","subj":"REST"})", "application/json");
    EXPECT_EQ(rest.status, 400);
}

class MailRetryTest : public MailTest {
protected:
    SmtpOptions smtp() const override { return {.fail_first = 2}; }
};

TEST_F(MailRetryTest, A4xxAnswerIsTriedAgainUntilTheMailIsAccepted) {
    auto a = app_with_mail_widget();
    a->send(cmd::kEmail, 4, "1");
    ASSERT_TRUE(a->expect_response(4, status::kOk));
    auto m = mail(1);
    ASSERT_TRUE(m) << server_->log();
    EXPECT_EQ(m->to, std::vector<std::string>{kEmail});
    const auto metrics = http_call(server_->port(), "GET", "/metrics").body;
    EXPECT_NE(metrics.find("blynkd_mail_retries_total 2"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("blynkd_mails_sent_total 1"), std::string::npos);
}

class MailGiveUpTest : public MailTest {
protected:
    SmtpOptions smtp() const override { return {.fail_first = 10, .retries = 1}; }
};

TEST_F(MailGiveUpTest, AFailureIsLoggedOnceWithTheServersAnswer) {
    auto a = app_with_mail_widget();
    a->send(cmd::kEmail, 4, "1");
    ASSERT_TRUE(a->expect_response(4, status::kOk));
    ASSERT_TRUE(server_->wait_for_log("not sent after 2 tries", std::chrono::seconds(10)));
    EXPECT_NE(server_->log().find("451 4.3.0 Try again later"), std::string::npos)
        << server_->log();
    EXPECT_EQ(occurrences(server_->log(), "not sent after"), 1u);
}

class MailImplicitTlsTest : public MailTest {
protected:
    SmtpOptions smtp() const override { return {.implicit = true}; }
};

TEST_F(MailImplicitTlsTest, ImplicitTlsDelivers) {
    auto a = app_with_mail_widget();
    a->send(cmd::kEmail, 4, "1");
    ASSERT_TRUE(a->expect_response(4, status::kOk));
    auto m = mail(1);
    ASSERT_TRUE(m) << server_->log();
    EXPECT_EQ(m->body, "Auth Token : " + cli_token_ + "\n");
}

class MailUntrustedTest : public MailTest {
protected:
    SmtpOptions smtp() const override { return {.trust = false}; }
};

TEST_F(MailUntrustedTest, AnUntrustedCertificateIsRefused) {
    auto a = app_with_mail_widget();
    a->send(cmd::kEmail, 4, "1");
    ASSERT_TRUE(a->expect_response(4, status::kOk));
    ASSERT_TRUE(server_->wait_for_log("not sent after 1 tries", std::chrono::seconds(10)))
        << server_->log();
    EXPECT_FALSE(std::filesystem::exists(dir_ / "spool" / "mail-1.json"));
}

TEST_F(AppTest, WithoutMailPropertiesMailIsAnsweredAsNotConfigured) {
    EXPECT_TRUE(server_->wait_for_log("mail is off: no mail.properties"));
    auto a = logged_in_app();
    a->send(cmd::kEmail, 4, "1");
    EXPECT_TRUE(a->expect_response(4, status::kNotificationError));
}

}  // namespace
}  // namespace blynk::test
