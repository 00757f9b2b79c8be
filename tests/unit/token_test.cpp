#include <gtest/gtest.h>

#include <set>

#include "common/util/token.hpp"

namespace blynk::util {
namespace {

TEST(TokenTest, Base64UrlMatchesTheRfc4648VectorsWithoutPadding) {
    EXPECT_EQ(base64url(""), "");
    EXPECT_EQ(base64url("f"), "Zg");
    EXPECT_EQ(base64url("fo"), "Zm8");
    EXPECT_EQ(base64url("foo"), "Zm9v");
    EXPECT_EQ(base64url("foob"), "Zm9vYg");
    EXPECT_EQ(base64url("fooba"), "Zm9vYmE");
    EXPECT_EQ(base64url("foobar"), "Zm9vYmFy");
    // The URL-safe alphabet: '-' and '_' where standard Base64 has '+' and '/'.
    EXPECT_EQ(base64url("\xfb\xff\xbf"), "-_-_");
}

TEST(TokenTest, GeneratedTokensAre32UrlSafeCharactersAndDiffer) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string token = generate_token();
        ASSERT_EQ(token.size(), 32u);
        EXPECT_EQ(token.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                  std::string::npos)
            << token;
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 100u);
}

TEST(TokenTest, RedactedTokensShowFourCharactersAndTheLength) {
    EXPECT_EQ(redact_token("AbC-_defghijklmnopqrstuvwxyz0123"), "AbC-…(32)");
    EXPECT_EQ(redact_token("ab"), "ab…(2)");
    EXPECT_EQ(redact_token(""), "…(0)");
}

TEST(TokenTest, RedactedTokensNeverCarryControlBytesIntoTheLog) {
    EXPECT_EQ(redact_token(std::string_view("\nx\0\x1b[31m", 8)), "?x??…(8)");
    EXPECT_EQ(redact_token("\xc3\xa9t"), "??t…(3)");
}

}  // namespace
}  // namespace blynk::util
