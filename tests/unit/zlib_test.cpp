#include "common/util/zlib.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <thread>
#include <vector>

namespace blynk::util {
namespace {

std::string bytes(std::initializer_list<int> v) {
    std::string out;
    for (int b : v)
        out.push_back(static_cast<char>(b));
    return out;
}

// 1 MB that deflate cannot shrink much: a linear congruential generator's high bytes.
std::string incompressible_megabyte() {
    std::string out(1 << 20, '\0');
    uint32_t state = 12345;
    for (char& c : out) {
        state = state * 1103515245u + 12345u;
        c = static_cast<char>(state >> 24);
    }
    return out;
}

const std::string kGoldenText =
    "Blynk LOAD_PROFILE_GZIPPED {\"dashBoards\":[{\"id\":1,\"name\":\"My project\"}]} "
    "Blynk LOAD_PROFILE_GZIPPED {\"dashBoards\":[{\"id\":1,\"name\":\"My project\"}]} "
    "Blynk LOAD_PROFILE_GZIPPED {\"dashBoards\":[{\"id\":1,\"name\":\"My project\"}]} ";

// python3 -c 'import zlib; print(zlib.compress(kGoldenText))' (default level, zlib 1.2.13).
const std::string kGoldenStream =
    bytes({0x78, 0x9c, 0x73, 0xca, 0xa9, 0xcc, 0xcb, 0x56, 0xf0, 0xf1, 0x77, 0x74, 0x89, 0x0f, 0x08,
           0xf2, 0x77, 0xf3, 0xf4, 0x71, 0x8d, 0x77, 0x8f, 0xf2, 0x0c, 0x08, 0x70, 0x75, 0x51, 0xa8,
           0x56, 0x4a, 0x49, 0x2c, 0xce, 0x70, 0xca, 0x4f, 0x2c, 0x4a, 0x29, 0x56, 0xb2, 0x8a, 0xae,
           0x56, 0xca, 0x4c, 0x51, 0xb2, 0x32, 0xd4, 0x51, 0xca, 0x4b, 0xcc, 0x4d, 0x55, 0xb2, 0x52,
           0xf2, 0xad, 0x54, 0x28, 0x28, 0xca, 0xcf, 0x4a, 0x4d, 0x2e, 0x51, 0xaa, 0x8d, 0xad, 0x55,
           0x70, 0x1a, 0x74, 0x06, 0x01, 0x00, 0x1d, 0x0d, 0x46, 0x42});

TEST(Zlib, GoldenTextIsWhatTheGoldenStreamSays) {
    ASSERT_EQ(kGoldenText.size(), 219u);
    ASSERT_EQ(kGoldenStream.size(), 85u);
}

TEST(Zlib, DecompressesAStreamMadeByPython) {
    auto out = zlib_decompress(kGoldenStream, 1 << 20);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(*out, kGoldenText);
}

TEST(Zlib, DecompressesStreamsOfOtherLevelsAndTheEmptyStream) {
    // python3: zlib.compress(b'hello', 9) (header 0x78 0xda) and zlib.compress(b'').
    auto hello = zlib_decompress(
        bytes({0x78, 0xda, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15}), 100);
    ASSERT_TRUE(hello.has_value());
    EXPECT_EQ(*hello, "hello");
    auto empty = zlib_decompress(bytes({0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}), 0);
    ASSERT_TRUE(empty.has_value());
    EXPECT_EQ(*empty, "");
}

TEST(Zlib, CompressWritesAZlibHeaderAtTheDefaultLevel) {
    // RFC 1950: CMF 0x78 (deflate, 32 KiB window); FLG 0x9c for the default level, as Java's
    // DeflaterOutputStream writes it. (CMF*256 + FLG) is a multiple of 31.
    for (const std::string& input : {std::string(), std::string("x"), kGoldenText}) {
        const std::string out = zlib_compress(input);
        ASSERT_GE(out.size(), 6u);  // header + Adler-32 at least
        EXPECT_EQ(static_cast<uint8_t>(out[0]), 0x78);
        EXPECT_EQ(static_cast<uint8_t>(out[1]), 0x9c);
        EXPECT_EQ((static_cast<uint8_t>(out[0]) * 256 + static_cast<uint8_t>(out[1])) % 31, 0);
    }
}

TEST(Zlib, CompressedGoldenTextIsSmallerAndRoundTrips) {
    const std::string out = zlib_compress(kGoldenText);
    EXPECT_LT(out.size(), kGoldenText.size() / 2);
    EXPECT_EQ(zlib_decompress(out, kGoldenText.size()), kGoldenText);
}

TEST(Zlib, RoundTripsEmptyAndSmallInputs) {
    for (const std::string& input :
         {std::string(), std::string("a"), std::string("\0\xff\x80", 3), std::string(100, 'z')}) {
        auto out = zlib_decompress(zlib_compress(input), input.size());
        ASSERT_TRUE(out.has_value()) << input.size();
        EXPECT_EQ(*out, input);
    }
}

TEST(Zlib, RoundTripsAMegabyte) {
    const std::string random = incompressible_megabyte();
    const std::string compressed = zlib_compress(random);
    EXPECT_EQ(zlib_decompress(compressed, random.size()), random);

    const std::string repetitive(1 << 20, 'r');
    const std::string small = zlib_compress(repetitive);
    EXPECT_LT(small.size(), 4096u);
    EXPECT_EQ(zlib_decompress(small, repetitive.size()), repetitive);
}

// The deflate state is kept per thread and reset between calls: nothing of one stream (its
// window, a large input's matches) may leak into the next.
TEST(Zlib, CallsOneAfterAnotherAreIndependent) {
    const std::string first = zlib_compress(kGoldenText);
    const std::string big = incompressible_megabyte();
    const std::string big_stream = zlib_compress(big);
    EXPECT_EQ(zlib_compress(kGoldenText), first);
    EXPECT_EQ(zlib_decompress(zlib_compress(""), 16), std::string());
    EXPECT_EQ(zlib_compress(kGoldenText), first);
    EXPECT_EQ(zlib_compress(big), big_stream);
    EXPECT_EQ(zlib_decompress(big_stream, big.size()), big);
}

TEST(Zlib, EachThreadCompressesOnItsOwn) {
    const std::string expected = zlib_compress(kGoldenText);
    std::vector<std::string> results(4);
    std::vector<std::thread> threads;
    for (auto& result : results)
        threads.emplace_back([&result] {
            for (int i = 0; i < 50; ++i)
                result = zlib_compress(kGoldenText);
        });
    for (auto& t : threads)
        t.join();
    for (const auto& result : results)
        EXPECT_EQ(result, expected);
}

TEST(Zlib, OutputOverTheLimitIsRefused) {
    EXPECT_FALSE(zlib_decompress(kGoldenStream, kGoldenText.size() - 1).has_value());
    EXPECT_TRUE(zlib_decompress(kGoldenStream, kGoldenText.size()).has_value());
    EXPECT_FALSE(zlib_decompress(zlib_compress("x"), 0).has_value());
    // A small stream of 16 MB of zeros stops at the limit rather than inflating it all.
    const std::string bomb = zlib_compress(std::string(16 << 20, '\0'));
    EXPECT_LT(bomb.size(), 20'000u);
    EXPECT_FALSE(zlib_decompress(bomb, 1 << 20).has_value());
}

TEST(Zlib, CorruptInputIsRefused) {
    EXPECT_FALSE(zlib_decompress("", 100).has_value());
    EXPECT_FALSE(zlib_decompress("hello", 100).has_value());  // no zlib header
    std::string bad_checksum = kGoldenStream;
    bad_checksum.back() = static_cast<char>(bad_checksum.back() ^ 0x01);
    EXPECT_FALSE(zlib_decompress(bad_checksum, 1000).has_value());
    std::string bad_header = kGoldenStream;
    bad_header[1] = static_cast<char>(0x9d);  // (CMF*256 + FLG) no longer a multiple of 31
    EXPECT_FALSE(zlib_decompress(bad_header, 1000).has_value());
    std::string bad_data = kGoldenStream;
    bad_data[10] = static_cast<char>(bad_data[10] ^ 0x55);
    EXPECT_FALSE(zlib_decompress(bad_data, 1000).has_value());
}

TEST(Zlib, TruncatedOrTrailedStreamsAreRefused) {
    for (size_t cut = 0; cut < kGoldenStream.size(); ++cut) {
        EXPECT_FALSE(zlib_decompress(kGoldenStream.substr(0, cut), 1000).has_value())
            << "cut at " << cut;
    }
    EXPECT_FALSE(zlib_decompress(kGoldenStream + "x", 1000).has_value());
    EXPECT_FALSE(zlib_decompress(kGoldenStream + kGoldenStream, 1000).has_value());
}

}  // namespace
}  // namespace blynk::util
