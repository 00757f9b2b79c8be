#include <gtest/gtest.h>

#include <string>

#include "server/model/json_text.hpp"

namespace blynk::model {
namespace {

std::string as_json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

TEST(ProfileJsonTextTest, StringsAreEscapedLikeNlohmann) {
    EXPECT_EQ(as_json_string(""), "\"\"");
    EXPECT_EQ(as_json_string("plain / text"), "\"plain / text\"");
    EXPECT_EQ(as_json_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(as_json_string("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
    EXPECT_EQ(as_json_string(std::string("1\0"
                                         "2\x1f\x7f",
                                         5)),
              "\"1\\u00002\\u001f\x7f\"");
    // The same text through nlohmann gives the same bytes.
    const std::string sample = std::string("x\0\"\\\n\x01 é", 9);
    EXPECT_EQ(as_json_string(sample), nlohmann::ordered_json(sample).dump());
}

TEST(ProfileJsonTextTest, ValidUtf8IsCopiedAndInvalidBytesBecomeReplacementCharacters) {
    EXPECT_EQ(as_json_string("é€😀"), "\"é€😀\"");
    const std::string kReplacement = "\xEF\xBF\xBD";
    EXPECT_EQ(as_json_string("a\xff"
                             "b"),
              "\"a" + kReplacement + "b\"");                        // never valid
    EXPECT_EQ(as_json_string("\x80"), "\"" + kReplacement + "\"");  // lone continuation
    EXPECT_EQ(as_json_string("\xC0\x80"),
              "\"" + kReplacement + kReplacement + "\"");  // overlong NUL
    EXPECT_EQ(as_json_string("\xED\xA0\x80"),              // a surrogate
              "\"" + kReplacement + kReplacement + kReplacement + "\"");
    EXPECT_EQ(as_json_string("x\xE2\x82"),
              "\"x" + kReplacement + kReplacement + "\"");                            // cut short
    EXPECT_EQ(as_json_string("\xF4\x90\x80\x80").substr(0, 4), "\"" + kReplacement);  // > U+10FFFF
}

TEST(ProfileJsonTextTest, ParseRefusesWhatIsNotJsonWithoutThrowing) {
    EXPECT_FALSE(parse_json_text(""));
    EXPECT_FALSE(parse_json_text("{"));
    EXPECT_FALSE(parse_json_text("{\"a\":1} trailing"));
    EXPECT_FALSE(parse_json_text("{\"a\":\"\xff\"}"));  // invalid UTF-8 in a string
    EXPECT_FALSE(parse_json_text("[1e999]"));           // overflows a double
    EXPECT_FALSE(parse_json_text("{/*comment*/}"));
    auto json = parse_json_text(R"({"b":1,"a":[true,null]})");
    ASSERT_TRUE(json);
    EXPECT_EQ(json->dump(), R"({"b":1,"a":[true,null]})");  // sent order kept
}

TEST(ProfileJsonTextTest, NestingIsBoundedButBracketsInStringsDoNotCount) {
    const auto nested = [](int depth) {
        return std::string(static_cast<size_t>(depth), '[') +
               std::string(static_cast<size_t>(depth), ']');
    };
    EXPECT_TRUE(parse_json_text(nested(kMaxJsonDepth)));
    EXPECT_FALSE(parse_json_text(nested(kMaxJsonDepth + 1)));
    EXPECT_FALSE(parse_json_text(std::string(1000000, '[')));
    const std::string brackets_in_string = "[\"" + std::string(200, '[') + "\\\"{\"]";
    EXPECT_TRUE(parse_json_text(brackets_in_string));
}

TEST(ProfileJsonTextTest, IntegersAreReadOnlyWhenTheyFitInt64) {
    using Json = nlohmann::ordered_json;
    EXPECT_EQ(json_integer(Json::parse("-5")), -5);
    EXPECT_EQ(json_integer(Json::parse("9223372036854775807")), INT64_MAX);
    EXPECT_FALSE(json_integer(Json::parse("9223372036854775808")));
    EXPECT_FALSE(json_integer(Json::parse("1.0")));
    EXPECT_FALSE(json_integer(Json::parse("\"1\"")));
    std::string out;
    append_json_integer(out, INT64_MIN);
    EXPECT_EQ(out, "-9223372036854775808");
}

TEST(ProfileJsonTextTest, ObjectMembersAreSplicedAfterOneComma) {
    const auto spliced = [](std::string_view object) {
        std::string out = "{\"id\":1";
        append_object_members(out, object);
        return out + "}";
    };
    EXPECT_EQ(spliced(R"({"a":1,"b":{"c":2}})"), R"({"id":1,"a":1,"b":{"c":2}})");
    EXPECT_EQ(spliced("{}"), R"({"id":1})");
    EXPECT_EQ(spliced(" { \n } "), R"({"id":1})");
    EXPECT_EQ(spliced(""), R"({"id":1})");
    EXPECT_EQ(spliced("[1]"), R"({"id":1})");
    EXPECT_EQ(spliced("{"), R"({"id":1})");
}

}  // namespace
}  // namespace blynk::model
