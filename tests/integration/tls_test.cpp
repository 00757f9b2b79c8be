#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "server/net/certificate.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/free_port.hpp"

namespace blynk::test {
namespace {

std::filesystem::path generated_cert(const ServerProcess& s) {
    return s.data_dir() / "tls" / "cert.pem";
}

TlsOptions trusting(const std::filesystem::path& cert) {
    TlsOptions o;
    o.ca_file = cert.string();
    return o;
}

class TlsTest : public ServerTest {};

TEST_F(TlsTest, HardwareOverTlsOnTheTlsPort) {
    RawClient c(server_->tls_port(), trusting(generated_cert(*server_)));
    c.login(token_a_);
    c.send_frame(cmd::kHardware, 2, body({"vw", "4", "secure"}));
    c.send_frame(cmd::kHardwareSync, 3, body({"vr", "4"}));
    EXPECT_TRUE(c.expect_frame(cmd::kHardware, 3, body({"vw", "4", "secure"})));
    c.send_frame(cmd::kPing, 4);
    EXPECT_TRUE(c.expect_response(4, status::kOk));
    EXPECT_TRUE(server_->wait_for_log("login ok: hardware tls"));
}

TEST_F(TlsTest, TlsAlsoWorksOnThePlainPort) {
    RawClient c(server_->port(), trusting(generated_cert(*server_)));
    c.login(token_a_);
    auto plain = logged_in(token_b_);  // and plain hardware beside it
    plain->send_frame(cmd::kPing, 2);
    EXPECT_TRUE(plain->expect_response(2, status::kOk));
}

TEST_F(TlsTest, HandshakeBytesArrivingOneByOneAreDetected) {
    TlsOptions o = trusting(generated_cert(*server_));
    o.trickle = true;
    RawClient c(server_->tls_port(), o);
    c.login(token_a_);
    RawClient p(server_->port(), o);
    p.login(token_b_);
}

TEST_F(TlsTest, PlainHardwareLoginSentByteByByteIsDetected) {
    auto c = connect();
    for (char byte : frame(cmd::kHardwareLogin, 1, token_a_)) {
        c->send(std::string(1, byte));
        std::this_thread::sleep_for(2ms);
    }
    EXPECT_TRUE(c->expect_response(1, status::kOk));
}

TEST_F(TlsTest, CertificateIsGeneratedOnceAndReusedAfterRestart) {
    auto cert = generated_cert(*server_);
    ASSERT_TRUE(std::filesystem::exists(cert));
    EXPECT_TRUE(std::filesystem::exists(server_->data_dir() / "tls" / "key.pem"));
    EXPECT_EQ(std::filesystem::status(server_->data_dir() / "tls" / "key.pem").permissions() &
                  std::filesystem::perms::others_read,
              std::filesystem::perms::none);
    const std::string fingerprint = net::certificate_fingerprint(cert);
    EXPECT_TRUE(server_->wait_for_log("SHA-256 fingerprint " + fingerprint));
    EXPECT_TRUE(server_->wait_for_log("generated a self-signed ECDSA P-256 certificate"));
    RawClient first(server_->tls_port(), trusting(cert));
    EXPECT_EQ(first.peer_fingerprint(), fingerprint);

    ASSERT_EQ(server_->stop(), 0);
    server_->start();
    RawClient second(server_->tls_port(), trusting(cert));
    EXPECT_EQ(second.peer_fingerprint(), fingerprint) << "a new certificate on every start";
    EXPECT_FALSE(server_->wait_for_log("generated a self-signed", 200ms));
}

TEST_F(TlsTest, SessionResumptionWorks) {
    auto cert = generated_cert(*server_);
    void* session = nullptr;
    {
        RawClient first(server_->tls_port(), trusting(cert));
        first.login(token_a_);  // TLS 1.3 tickets arrive after the handshake
        session = first.session();
    }
    ASSERT_NE(session, nullptr);
    TlsOptions o = trusting(cert);
    o.resume_session = session;
    RawClient again(server_->tls_port(), o);
    EXPECT_TRUE(again.session_reused());
    again.login(token_a_);
    SSL_SESSION_free(static_cast<SSL_SESSION*>(session));
}

TEST_F(TlsTest, PlainBytesAndPlainHttpOnTheTlsPort) {
    auto binary = std::make_unique<RawClient>(server_->tls_port());
    binary->send_frame(cmd::kHardwareLogin, 1, token_a_);
    EXPECT_TRUE(binary->expect_closed());
    auto http = std::make_unique<RawClient>(server_->tls_port());
    http->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string answer = http->read_for(1s);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << answer;
    EXPECT_NE(answer.find("expects TLS"), std::string::npos);
    EXPECT_TRUE(server_->wait_for_log("400 (plain HTTP on the TLS port)"));
}

TEST_F(TlsTest, AppProtocolInsideTlsIsServed) {
    RawClient c(server_->tls_port(), trusting(generated_cert(*server_)));
    // An app LOGIN: command 2 with a 32-bit length whose high bytes are zero; an unknown user.
    c.send(
        std::string("\x02\x00\x01\x00\x00\x00\x05"
                    "a\0b\0c",
                    12));
    EXPECT_TRUE(c.expect(std::string("\x00\x00\x01\x00\x00\x00\x03", 7)))
        << "USER_NOT_REGISTERED in the app's 7-byte response";
    EXPECT_TRUE(server_->wait_for_log("login rejected: a"));
}

// The server reads TLS ahead (one read(2) takes several records); what OpenSSL holds beyond the
// record being delivered must reach the session without the socket becoming readable again.
class TlsReadAheadTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"user.message.quota.limit", "1000000"}};
    }
};

TEST_F(TlsReadAheadTest, ManyRecordsInOneBurstAreAllAnswered) {
    RawClient c(server_->tls_port(), trusting(generated_cert(*server_)));
    c.login(token_a_);
    // 40 records of 400 PINGs: 80,000 bytes of frames, more than the session reads at once.
    std::vector<std::string> records;
    std::string expected;
    uint16_t id = 2;
    for (int r = 0; r < 40; ++r) {
        std::string record;
        for (int i = 0; i < 400; ++i, ++id) {
            record += frame(cmd::kPing, id);
            expected += response(id, status::kOk);
        }
        records.push_back(std::move(record));
    }
    c.send_records(records);
    EXPECT_TRUE(c.expect(expected, 10s));
}

TEST_F(TlsReadAheadTest, FramesSentWithTheLoginAreAnswered) {
    RawClient c(server_->tls_port(), trusting(generated_cert(*server_)));
    // The detection reads the first record; the other two wait inside OpenSSL meanwhile.
    c.send_records({frame(29, 1, token_a_), frame(cmd::kPing, 2), frame(cmd::kPing, 3)});
    EXPECT_TRUE(
        c.expect(response(1, status::kOk) + response(2, status::kOk) + response(3, status::kOk)));
}

// The detection reads at most 512 bytes of the first record; when a frame ends exactly there,
// the rest of the record is inside OpenSSL and the socket will not become readable for it.
TEST_F(TlsReadAheadTest, FirstRecordLongerThanTheDetectionReadIsAllAnswered) {
    for (uint16_t port : {server_->tls_port(), server_->port()}) {
        RawClient c(port, trusting(generated_cert(*server_)));
        std::string burst = frame(29, 1, token_a_);
        std::string expected = response(1, status::kOk);
        uint16_t id = 2;
        while (burst.size() < 512) {
            burst += frame(cmd::kPing, id);
            expected += response(id++, status::kOk);
        }
        ASSERT_EQ(burst.size(), 512u) << "a frame must end at byte 512";
        for (int i = 0; i < 5; ++i, ++id) {
            burst += frame(cmd::kPing, id);
            expected += response(id, status::kOk);
        }
        c.send(burst);  // one write: one TLS record
        EXPECT_TRUE(c.expect(expected)) << "port " << port;
    }
}

TEST_F(TlsReadAheadTest, AFrameReadWithCloseNotifyIsAnsweredThenTheSessionCloses) {
    RawClient c(server_->tls_port(), trusting(generated_cert(*server_)));
    c.login(token_a_);
    // One read brings both records; the TCP connection stays open, so only the close_notify
    // the server has already read can end the session.
    c.send_then_close_notify(frame(cmd::kPing, 2));
    EXPECT_TRUE(c.expect_response(2, status::kOk));
    EXPECT_TRUE(c.expect_closed());
    EXPECT_TRUE(server_->wait_for_log("closed by peer"));
}

class TlsDeadlineTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"login.timeout", "1"},
                {"tls.handshake.timeout", "1"},
                {"tls.handshake.per.ip.limit", "2"}};
    }
};

TEST_F(TlsDeadlineTest, SilentClientOnTheTlsPortIsClosed) {
    RawClient c(server_->tls_port());
    EXPECT_TRUE(c.expect_closed(5s));
}

TEST_F(TlsDeadlineTest, UnfinishedHandshakeIsClosedAtTheDeadline) {
    RawClient c(server_->tls_port());
    c.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));  // a ClientHello start
    auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.expect_closed(5s));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 800ms);
    EXPECT_TRUE(server_->wait_for_log("handshake not finished within 1 s"));
}

TEST_F(TlsDeadlineTest, UnfinishedHandshakesPerAddressAreCapped) {
    const std::string hello_start("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
    RawClient a(server_->tls_port()), b(server_->tls_port()), c(server_->tls_port());
    a.send(hello_start);
    std::this_thread::sleep_for(100ms);
    b.send(hello_start);
    std::this_thread::sleep_for(100ms);
    c.send(hello_start);
    EXPECT_TRUE(c.expect_closed(500ms)) << "the third unfinished handshake is refused";
    EXPECT_TRUE(server_->wait_for_log("too many unfinished TLS handshakes from 127.0.0.1"));
    EXPECT_TRUE(a.open());
}

/// A server with a configured certificate pair, for the reload tests.
class TlsReloadTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("blynkd-certs-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        make_pair("first.local");
        server_ = std::make_unique<ServerProcess>(
            std::map<std::string, std::string>{{"server.ssl.cert", (dir_ / "cert.pem").string()},
                                               {"server.ssl.key", (dir_ / "key.pem").string()},
                                               {"tls.reload.check.interval", "1"}});
        token_ = server_->provision("tls@example.com");
        server_->start();
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    void make_pair(const std::string& name) {
        net::CertificateRequest r;
        r.common_name = name;
        r.dns_names = {name, "localhost"};
        r.ip_addresses = {"127.0.0.1"};
        net::generate_self_signed(r, dir_ / "cert.pem", dir_ / "key.pem");
    }
    std::string fingerprint() { return net::certificate_fingerprint(dir_ / "cert.pem"); }
    void hangup() { ASSERT_EQ(::kill(server_->pid(), SIGHUP), 0); }

    std::filesystem::path dir_;
    std::unique_ptr<ServerProcess> server_;
    std::string token_;
};

TEST_F(TlsReloadTest, SighupLoadsTheNewPairAndKeepsOpenConnections) {
    const std::string old_fp = fingerprint();
    RawClient old_conn(server_->tls_port(), trusting(dir_ / "cert.pem"));
    old_conn.login(token_);
    EXPECT_EQ(old_conn.peer_fingerprint(), old_fp);

    make_pair("second.local");
    const std::string new_fp = fingerprint();
    ASSERT_NE(new_fp, old_fp);
    hangup();
    ASSERT_TRUE(server_->wait_for_log("reloaded (SIGHUP): SHA-256 fingerprint " + new_fp));
    RawClient fresh(server_->tls_port(), trusting(dir_ / "cert.pem"));
    EXPECT_EQ(fresh.peer_fingerprint(), new_fp);
    fresh.login(token_);
    old_conn.send_frame(cmd::kPing, 9);
    EXPECT_TRUE(old_conn.expect_response(9, status::kOk)) << "the old connection was dropped";
}

TEST_F(TlsReloadTest, ChangedFilesAreReloadedWithoutASignal) {
    make_pair("renewed.local");
    const std::string new_fp = fingerprint();
    ASSERT_TRUE(server_->wait_for_log(
        "reloaded (certificate files changed): SHA-256 fingerprint " + new_fp, 5s));
    RawClient fresh(server_->tls_port(), trusting(dir_ / "cert.pem"));
    EXPECT_EQ(fresh.peer_fingerprint(), new_fp);
}

TEST_F(TlsReloadTest, BrokenNewPairKeepsTheOldOne) {
    const std::string old_fp = fingerprint();
    std::filesystem::copy_file(dir_ / "cert.pem", dir_ / "good.pem");
    { std::ofstream(dir_ / "cert.pem") << "-----BEGIN CERTIFICATE-----\nbroken\n"; }
    hangup();
    ASSERT_TRUE(server_->wait_for_log("reload (SIGHUP) failed, keeping the current one"));
    TlsOptions o = trusting(dir_ / "good.pem");
    RawClient c(server_->tls_port(), o);
    EXPECT_EQ(c.peer_fingerprint(), old_fp);
    c.login(token_);
}

TEST(TlsStartTest, MissingConfiguredCertificateStopsTheServerWithAClearMessage) {
    ServerProcess s(
        {{"server.ssl.cert", "/nonexistent/cert.pem"}, {"server.ssl.key", "/nonexistent/key.pem"}});
    EXPECT_THROW(s.start(), std::runtime_error);
    EXPECT_NE(s.log().find("cannot load certificate /nonexistent/cert.pem"), std::string::npos)
        << s.log();
}

}  // namespace
}  // namespace blynk::test

namespace blynk::test {
namespace {

TEST(LegacyPortsTest, AliasPortsServeLikeTheMainPorts) {
    const uint16_t plain = free_port(), tls = free_port();
    ServerProcess server({{"hardware.plain.port", std::to_string(plain)},
                          {"hardware.ssl.port", std::to_string(tls)}});
    std::string token = server.provision("old@example.com", "Old sketch");
    server.start();
    EXPECT_TRUE(server.wait_for_log(":" + std::to_string(plain) + " (hardware, legacy plain)"));
    EXPECT_TRUE(server.wait_for_log(":" + std::to_string(tls) + " (TLS: legacy hardware)"));
    RawClient a(plain);
    a.login(token);
    RawClient b(tls, TlsOptions{(server.data_dir() / "tls" / "cert.pem").string()});
    b.login(token);
    RawClient refused(tls);
    refused.send_frame(cmd::kHardwareLogin, 1, token);
    EXPECT_TRUE(refused.expect_closed()) << "the legacy TLS port takes TLS only";
}

}  // namespace
}  // namespace blynk::test

namespace blynk::test {
namespace {

/// Configured keys in the shapes people have: PKCS#8, traditional, encrypted with a passphrase.
class TlsKeyFormatsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ =
            std::filesystem::temp_directory_path() / ("blynkd-keys-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        net::CertificateRequest r;
        r.common_name = "localhost";
        r.dns_names = {"localhost"};
        r.ip_addresses = {"127.0.0.1"};
        net::generate_self_signed(r, dir_ / "cert.pem", dir_ / "key.pem");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    int shell(const std::string& cmd) { return std::system((cmd + " 2>/dev/null").c_str()); }

    void expect_serves(const std::string& key, const std::string& pass) {
        std::map<std::string, std::string> s{{"server.ssl.cert", (dir_ / "cert.pem").string()},
                                             {"server.ssl.key", key}};
        if (!pass.empty()) s["server.ssl.key.pass"] = pass;
        ServerProcess server(s);
        std::string token = server.provision("keys@example.com");
        server.start();
        RawClient c(server.tls_port(), TlsOptions{(dir_ / "cert.pem").string()});
        EXPECT_EQ(c.peer_fingerprint(), net::certificate_fingerprint(dir_ / "cert.pem"));
        c.login(token);
    }

    std::filesystem::path dir_;
};

TEST_F(TlsKeyFormatsTest, Pkcs8TraditionalAndEncryptedKeysWork) {
    expect_serves((dir_ / "key.pem").string(), "");  // PKCS#8, as generated
    ASSERT_EQ(shell("openssl ec -in " + (dir_ / "key.pem").string() + " -out " +
                    (dir_ / "trad.pem").string()),
              0);
    expect_serves((dir_ / "trad.pem").string(), "");  // "BEGIN EC PRIVATE KEY"
    ASSERT_EQ(shell("openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:s3cret -in " +
                    (dir_ / "key.pem").string() + " -out " + (dir_ / "enc.pem").string()),
              0);
    expect_serves((dir_ / "enc.pem").string(), "s3cret");
}

TEST_F(TlsKeyFormatsTest, WrongPassphraseStopsStartWithAClearMessage) {
    ASSERT_EQ(shell("openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:s3cret -in " +
                    (dir_ / "key.pem").string() + " -out " + (dir_ / "enc.pem").string()),
              0);
    ServerProcess server({{"server.ssl.cert", (dir_ / "cert.pem").string()},
                          {"server.ssl.key", (dir_ / "enc.pem").string()},
                          {"server.ssl.key.pass", "wrong"}});
    EXPECT_THROW(server.start(), std::runtime_error);
    EXPECT_NE(server.log().find("wrong server.ssl.key.pass?"), std::string::npos) << server.log();
}

}  // namespace
}  // namespace blynk::test
