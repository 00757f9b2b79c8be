// PostgreSQL array literals of the batched pin write: quoting, escapes, every byte in hex.

#include "server/store/postgres_arrays.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace blynk::store {
namespace {

TEST(PgArrayLiteral, EmptyAndIntegers) {
    EXPECT_EQ(PgArrayLiteral().str(), "{}");
    PgArrayLiteral ints;
    ints.add_int(0);
    ints.add_int(-9223372036854775807LL - 1);
    ints.add_int(42);
    EXPECT_EQ(ints.str(), "{0,-9223372036854775808,42}");
}

TEST(PgArrayLiteral, TextIsQuotedWithBackslashesAndQuotesEscaped) {
    PgArrayLiteral text;
    text.add_text("a@b.c");
    text.add_text("");
    text.add_text(R"(say "hi" \ {x,y} NULL)");
    EXPECT_EQ(text.str(), R"({"a@b.c","","say \"hi\" \\ {x,y} NULL"})");
}

TEST(PgArrayLiteral, BytesAreHexWithAnEscapedBackslash) {
    PgArrayLiteral bytes;
    bytes.add_bytes(std::string("\x00\x01\xff", 3));
    bytes.add_bytes("");
    bytes.add_bytes("hi");
    EXPECT_EQ(bytes.str(), R"({"\\x0001ff","\\x","\\x6869"})");
}

TEST(PgArrayLiteral, DoublesRoundTripExactlyAndNamesTheSpecialValues) {
    PgArrayLiteral doubles;
    doubles.add_double(0.1 + 0.2);
    doubles.add_double(-0.5);
    doubles.add_double(1e300);
    doubles.add_double(std::nan(""));
    doubles.add_double(-INFINITY);
    EXPECT_EQ(doubles.str(), "{0.30000000000000004,-0.5,1e+300,NaN,-Infinity}");
}

}  // namespace
}  // namespace blynk::store
