// common/util/ascii.hpp: case folding, trimming and placeholder replacement on bytes.

#include <gtest/gtest.h>

#include "common/util/ascii.hpp"

namespace blynk::util {
namespace {

TEST(Ascii, LowerFoldsOnlyAsciiLetters) {
    EXPECT_EQ(ascii_lower("Ab@EXAMPLE.com \xC3\x84"), "ab@example.com \xC3\x84");
}

TEST(Ascii, TrimRemovesSpacesAndTabsAround) {
    EXPECT_EQ(trim_blanks(" \t a b\t "), "a b");
    EXPECT_EQ(trim_blanks(" \t "), "");
}

TEST(Ascii, ReplaceAllReplacesEveryOccurrenceOnce) {
    std::string text = "/pin/ is /pin//pin/";
    replace_all(text, "/pin/", "12.5");
    EXPECT_EQ(text, "12.5 is 12.512.5");

    std::string grows = "{N} and {N}";
    replace_all(grows, "{N}", "{N}{N}");  // a replacement holding the placeholder stays as it is
    EXPECT_EQ(grows, "{N}{N} and {N}{N}");

    std::string gone = "a{X}b{X}";
    replace_all(gone, "{X}", "");
    EXPECT_EQ(gone, "ab");

    std::string none = "nothing here";
    replace_all(none, "/pin/", "1");
    EXPECT_EQ(none, "nothing here");
}

}  // namespace
}  // namespace blynk::util
