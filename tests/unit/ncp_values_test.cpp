#include <gtest/gtest.h>

#include <string>

#include "common/proto/ncp_values.hpp"
#include "tests/unit/ncp_golden_frames.hpp"

namespace blynk::proto::ncp {
namespace {

using golden::hex;

TEST(NcpValuesTest, WritesEveryTypeLittleEndian) {
    std::string out = "x";
    Writer(out)
        .u8(0xab)
        .u16(0x1234)
        .u32(0x89abcdef)
        .i16(-2)
        .i64(-1234567890123)
        .boolean(true)
        .boolean(false)
        .string("hi")
        .binary(std::string("a\0b", 3));
    EXPECT_EQ(out, "x" + hex("ab 34 12 ef cd ab 89 fe ff 35 fb 04 8e e0 fe ff ff 01 00 68 69 00 "
                             "03 00 61 00 62"));
}

TEST(NcpValuesTest, ReadsBackWhatWasWritten) {
    std::string out;
    Writer(out)
        .u8(7)
        .u16(0xfffe)
        .u32(2000000)
        .i16(-300)
        .i64(1700000000123)
        .boolean(true)
        .string("")
        .string("Kitchen")
        .binary("")
        .binary("42");
    Reader r(out);
    EXPECT_EQ(r.u8(), 7);
    EXPECT_EQ(r.u16(), 0xfffe);
    EXPECT_EQ(r.u32(), 2000000u);
    EXPECT_EQ(r.i16(), -300);
    EXPECT_EQ(r.i64(), 1700000000123);
    EXPECT_TRUE(r.boolean());
    EXPECT_EQ(r.string(), "");
    EXPECT_EQ(r.string(), "Kitchen");
    EXPECT_EQ(r.binary(), "");
    EXPECT_EQ(r.binary(), "42");
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.consumed_exactly());
    EXPECT_EQ(r.remaining(), 0u);
}

TEST(NcpValuesTest, AnyNonZeroByteReadsTrue) {
    const std::string r_bytes = hex("02 ff 00");
    Reader r(r_bytes);
    EXPECT_TRUE(r.boolean());
    EXPECT_TRUE(r.boolean());
    EXPECT_FALSE(r.boolean());
    EXPECT_TRUE(r.consumed_exactly());
}

TEST(NcpValuesTest, TruncatedIntegersFailAndTheFailureSticks) {
    const std::string r_bytes = hex("01 02 03");
    Reader r(r_bytes);
    EXPECT_EQ(r.u16(), 0x0201);
    EXPECT_EQ(r.u16(), 0);  // one byte left
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error(), ReadError::Truncated);
    EXPECT_EQ(r.u8(), 0);  // the byte is there, but the reader has failed
    EXPECT_EQ(r.remaining(), 1u);
    EXPECT_FALSE(r.consumed_exactly());

    const std::string seven_bytes = hex("01 02 03 04 05 06 07");
    Reader seven(seven_bytes);
    EXPECT_EQ(seven.i64(), 0);
    EXPECT_EQ(seven.error(), ReadError::Truncated);
    const std::string three_bytes = hex("01 02 03");
    Reader three(three_bytes);
    EXPECT_EQ(three.u32(), 0u);
    EXPECT_EQ(three.error(), ReadError::Truncated);
    Reader none("");
    EXPECT_FALSE(none.boolean());
    EXPECT_EQ(none.error(), ReadError::Truncated);
}

TEST(NcpValuesTest, StringWithoutNulFails) {
    const std::string r_bytes = hex("6f 6b 00 6e 6f");
    Reader r(r_bytes);
    EXPECT_EQ(r.string(), "ok");
    EXPECT_EQ(r.string(), "");
    EXPECT_EQ(r.error(), ReadError::MissingNul);
    EXPECT_EQ(r.remaining(), 2u);
    EXPECT_FALSE(r.consumed_exactly());
}

TEST(NcpValuesTest, BinaryLongerThanItsBytesFails) {
    const std::string longer_bytes = hex("05 00 61 62 63");
    Reader longer(longer_bytes);
    EXPECT_EQ(longer.binary(), "");
    EXPECT_EQ(longer.error(), ReadError::Truncated);
    const std::string no_length_bytes = hex("05");
    Reader no_length(no_length_bytes);
    EXPECT_EQ(no_length.binary(), "");
    EXPECT_EQ(no_length.error(), ReadError::Truncated);
}

TEST(NcpValuesTest, ConsumedExactlyRefusesTrailingBytes) {
    const std::string r_bytes = hex("01 00");
    Reader r(r_bytes);
    EXPECT_TRUE(r.boolean());
    EXPECT_TRUE(r.ok());
    EXPECT_FALSE(r.consumed_exactly());
    EXPECT_EQ(r.remaining(), 1u);
    EXPECT_TRUE(Reader("").consumed_exactly());
}

TEST(NcpValuesTest, WriterCutsWhatTheWireCannotCarry) {
    std::string out;
    Writer(out).string(std::string("ab\0cd", 5));
    EXPECT_EQ(out, hex("61 62 00"));

    out.clear();
    Writer(out).binary(std::string(70000, 'z'));
    ASSERT_EQ(out.size(), 2u + 65535);
    EXPECT_EQ(out.substr(0, 2), hex("ff ff"));
    Reader r(out);
    EXPECT_EQ(r.binary().size(), 65535u);
    EXPECT_TRUE(r.consumed_exactly());
}

TEST(NcpValuesTest, DescribesReadErrors) {
    EXPECT_EQ(describe(ReadError::Truncated), "value truncated");
    EXPECT_EQ(describe(ReadError::MissingNul), "string without its terminating NUL");
}

}  // namespace
}  // namespace blynk::proto::ncp
