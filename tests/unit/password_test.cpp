#include "common/util/password.hpp"

#include <gtest/gtest.h>

#include <string>

namespace blynk::util {
namespace {

// Vectors from python3:
//   base64.b64encode(sha256(pw.encode() + sha256(email.lower().encode()).digest()).digest())

TEST(AppPasswordHash, MatchesTheAppsScheme) {
    EXPECT_EQ(app_password_hash("you@example.com", "secret"),
              "umQa2BgnNlEIHw9zYsZIQzRyUdDhR4k0Cv0T7Bh6Nmo=");
    EXPECT_EQ(app_password_hash("admin@blynk.cc", "admin"),
              "84inR6aLx6tZGaQyLrZSEVYCxWW8L88MG+gOn2cncgM=");
    EXPECT_EQ(app_password_hash("you@example.com", ""),
              "AisWQ+rYIQ0KvmGnBB/oh9u/GxXqyGwQTUch16rwnI8=");
}

TEST(AppPasswordHash, EmailCaseDoesNotMatter) {
    EXPECT_EQ(app_password_hash("Admin@Blynk.CC", "admin"),
              "84inR6aLx6tZGaQyLrZSEVYCxWW8L88MG+gOn2cncgM=");
    EXPECT_EQ(app_password_hash("YOU@EXAMPLE.COM", "secret"),
              app_password_hash("you@example.com", "secret"));
}

TEST(AppPasswordHash, PasswordCaseDoes) {
    EXPECT_NE(app_password_hash("you@example.com", "Secret"),
              app_password_hash("you@example.com", "secret"));
}

TEST(AppPasswordHash, NonAsciiPasswordIsHashedAsUtf8) {
    // "pässwörd€" in UTF-8.
    EXPECT_EQ(app_password_hash("user@example.org", "p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac"),
              "YydeGPC6t9fcQcLigCcLcGTsQzHYCC94W7NsVqj10ys=");
}

TEST(AppPasswordHash, IsFortyFourCharactersOfPaddedBase64) {
    const std::string hash = app_password_hash("a@b.c", "x");
    ASSERT_EQ(hash.size(), 44u);
    EXPECT_EQ(hash.back(), '=');
    EXPECT_EQ(
        hash.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
        std::string::npos);
}

TEST(StoredPassword, HashVerifiesTheRightPasswordOnly) {
    const std::string app_hash = "umQa2BgnNlEIHw9zYsZIQzRyUdDhR4k0Cv0T7Bh6Nmo=";
    const std::string stored = hash_password(app_hash);
    EXPECT_TRUE(verify_password(app_hash, stored));
    EXPECT_FALSE(verify_password("umQa2BgnNlEIHw9zYsZIQzRyUdDhR4k0Cv0T7Bh6Nmo", stored));
    EXPECT_FALSE(verify_password("", stored));
    EXPECT_FALSE(verify_password(app_password_hash("you@example.com", "Secret"), stored));
}

TEST(StoredPassword, EncodingIsSchemeIterationsSaltHash) {
    const std::string stored = hash_password("pw");
    const std::string prefix = "pbkdf2-sha256$200000$";
    ASSERT_EQ(stored.compare(0, prefix.size(), prefix), 0) << stored;
    const std::string rest = stored.substr(prefix.size());
    const size_t dollar = rest.find('$');
    ASSERT_NE(dollar, std::string::npos);
    EXPECT_EQ(dollar, 22u);                    // 16 salt bytes, base64url without padding
    EXPECT_EQ(rest.size() - dollar - 1, 43u);  // 32 hash bytes, base64url without padding
    // A fresh salt each time.
    EXPECT_NE(hash_password("pw"), stored);
}

TEST(StoredPassword, VerifiesAGoldenEncoding) {
    // python3: hashlib.pbkdf2_hmac('sha256', pw, b'c2FsdHNhbHRzYWx0c2FsdA', 1000), base64url
    // without padding. The salt is used as its base64url text, as hash_password stores it.
    const std::string golden =
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$XV1FsTEcqs3YQGJz5i0tsLp96_knBYY90Zhm5DEliHw";
    EXPECT_TRUE(verify_password("umQa2BgnNlEIHw9zYsZIQzRyUdDhR4k0Cv0T7Bh6Nmo=", golden));
    EXPECT_FALSE(verify_password("umQa2BgnNlEIHw9zYsZIQzRyUdDhR4k0Cv0T7Bh6Nmp=", golden));
    // One character of the stored hash changed.
    std::string tampered = golden;
    tampered.back() = 'x';
    EXPECT_FALSE(verify_password("umQa2BgnNlEIHw9zYsZIQzRyUdDhR4k0Cv0T7Bh6Nmo=", tampered));
    // Another iteration count gives another hash.
    std::string other_count = golden;
    other_count.replace(14, 4, "1001");
    EXPECT_FALSE(verify_password("umQa2BgnNlEIHw9zYsZIQzRyUdDhR4k0Cv0T7Bh6Nmo=", other_count));
}

TEST(StoredPassword, MalformedEncodingsNeverVerify) {
    const std::string pw = "umQa2BgnNlEIHw9zYsZIQzRyUdDhR4k0Cv0T7Bh6Nmo=";
    for (const std::string& encoded : {
             std::string(""),
             std::string("$"),
             std::string("$$$"),
             pw,  // a clear app hash stored verbatim, as the Java server did
             std::string("pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA"),
             std::string("pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$XV1FsTEcqs3YQGJz5i0tsLp96_"
                         "knBYY90Zhm5DEliHw$extra"),
             std::string("pbkdf2-sha1$1000$c2FsdHNhbHRzYWx0c2FsdA$XV1FsTEcqs3YQGJz5i0tsLp96_"
                         "knBYY90Zhm5DEliHw"),
             std::string("pbkdf2-sha256$abc$c2FsdHNhbHRzYWx0c2FsdA$XV1FsTEcqs3YQGJz5i0tsLp96_"
                         "knBYY90Zhm5DEliHw"),
             std::string("pbkdf2-sha256$$c2FsdHNhbHRzYWx0c2FsdA$XV1FsTEcqs3YQGJz5i0tsLp96_"
                         "knBYY90Zhm5DEliHw"),
             std::string("pbkdf2-sha256$0$c2FsdHNhbHRzYWx0c2FsdA$XV1FsTEcqs3YQGJz5i0tsLp96_"
                         "knBYY90Zhm5DEliHw"),
             std::string("pbkdf2-sha256$-5$c2FsdHNhbHRzYWx0c2FsdA$XV1FsTEcqs3YQGJz5i0tsLp96_"
                         "knBYY90Zhm5DEliHw"),
             std::string("pbkdf2-sha256$99999999999999999999$c2FsdA$XV1FsTEcqs3YQGJz5i0tsLp96_"
                         "knBYY90Zhm5DEliHw"),
             std::string("pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$"),
             std::string("pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$XV1FsTEcqs3YQGJz5i0tsLp96_"
                         "knBYY90Zhm5DEliH"),
         }) {
        EXPECT_FALSE(verify_password(pw, encoded)) << encoded;
    }
}

}  // namespace
}  // namespace blynk::util
