#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/proto/body.hpp"
#include "common/proto/codec.hpp"
#include "common/proto/command.hpp"

namespace blynk::proto {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> v) {
    std::vector<uint8_t> out;
    for (int b : v)
        out.push_back(static_cast<uint8_t>(b));
    return out;
}

std::vector<uint8_t> bytes_of(const std::string& s) {
    return {s.begin(), s.end()};
}

DecodeResult decode_all(const std::vector<uint8_t>& in, uint32_t max_body = 65535,
                        Layout layout = Layout::Hardware) {
    return decode(std::span<const uint8_t>(in.data(), in.size()), DecodeLimits{layout, max_body});
}

// The C++ 0.6.1 client's login, captured (hardware.md §6 A).
const std::string kToken = "0123456789abcdef0123456789ABCDEF";

TEST(Codec, DecodesGoldenLoginFrame) {
    auto in = bytes({0x1d, 0x00, 0x01, 0x00, 0x20});
    auto body = bytes_of(kToken);
    in.insert(in.end(), body.begin(), body.end());
    auto r = decode_all(in);
    ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(r.consumed, 37u);
    EXPECT_EQ(r.frame.command, cmd::kHardwareLogin);
    EXPECT_EQ(r.frame.id, 1);
    EXPECT_EQ(r.frame.body, kToken);
}

TEST(Codec, ResponseHasStatusAndNoBody) {
    auto in = bytes({0x00, 0x00, 0x07, 0x00, 0xc8, 0x06});  // response + first byte of next frame
    auto r = decode_all(in);
    ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(r.consumed, 5u);
    EXPECT_EQ(r.frame.id, 7);
    EXPECT_EQ(r.frame.status, 200u);
    EXPECT_TRUE(r.frame.body.empty());
}

TEST(Codec, EveryPrefixOfAFrameNeedsMore) {
    std::string frame;
    encode(frame, Layout::Hardware, cmd::kHardware, 0x1234,
           std::string("vw\0"
                       "5\0"
                       "23.5",
                       9));
    auto in = bytes_of(frame);
    for (size_t cut = 0; cut < in.size(); ++cut) {
        std::vector<uint8_t> prefix(in.begin(), in.begin() + cut);
        auto r = decode_all(prefix);
        EXPECT_EQ(r.kind, DecodeResult::Kind::NeedMore) << "cut at " << cut;
        if (cut >= 5) {
            EXPECT_EQ(r.needed, in.size()) << "cut at " << cut;
        }
    }
    auto r = decode_all(in);
    ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(r.frame.body, std::string_view("vw\0"
                                             "5\0"
                                             "23.5",
                                             9));
}

TEST(Codec, TwoFramesSplitAtEveryOffsetDecodeIdentically) {
    std::string stream;
    encode(stream, Layout::Hardware, cmd::kPing, 2, {});
    encode(stream, Layout::Hardware, cmd::kHardwareSync, 3,
           std::string("vr\0"
                       "0",
                       4));
    auto all = bytes_of(stream);
    for (size_t cut = 0; cut <= all.size(); ++cut) {
        // Feed the first `cut` bytes, then the rest appended, as a session's buffer would.
        std::vector<uint8_t> buffer(all.begin(), all.begin() + cut);
        std::vector<std::pair<uint8_t, std::string>> got;
        size_t fed = cut;
        while (true) {
            auto r = decode_all(buffer);
            if (r.kind == DecodeResult::Kind::Frame) {
                got.emplace_back(r.frame.command, std::string(r.frame.body));
                buffer.erase(buffer.begin(), buffer.begin() + r.consumed);
                continue;
            }
            ASSERT_EQ(r.kind, DecodeResult::Kind::NeedMore);
            if (fed == all.size()) break;
            buffer.insert(buffer.end(), all.begin() + fed, all.end());
            fed = all.size();
        }
        ASSERT_EQ(got.size(), 2u) << "cut at " << cut;
        EXPECT_EQ(got[0].first, cmd::kPing);
        EXPECT_EQ(got[1].first, cmd::kHardwareSync);
        EXPECT_EQ(got[1].second, std::string("vr\0"
                                             "0",
                                             4));
        EXPECT_TRUE(buffer.empty());
    }
}

TEST(Codec, CommandAtOrAbove100IsAnError) {
    auto r = decode_all(bytes({0x64, 0x00, 0x01, 0x00, 0x00}));
    EXPECT_EQ(r.kind, DecodeResult::Kind::Error);
    EXPECT_EQ(r.error, DecodeError::InvalidCommand);
    auto ok = decode_all(bytes({0x63, 0x00, 0x01, 0x00, 0x00}));
    EXPECT_EQ(ok.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(ok.frame.command, 99);
}

TEST(Codec, OversizedBodyIsRejectedFromTheHeaderAlone) {
    auto r = decode_all(bytes({0x14, 0x00, 0x01, 0x01, 0x01}), 256);  // declares 257 bytes
    EXPECT_EQ(r.kind, DecodeResult::Kind::Error);
    EXPECT_EQ(r.error, DecodeError::BodyTooLarge);
    EXPECT_EQ(r.declared_length, 257u);
    auto at_limit = decode_all(bytes({0x14, 0x00, 0x01, 0x01, 0x00}), 256);
    EXPECT_EQ(at_limit.kind, DecodeResult::Kind::NeedMore);
    EXPECT_EQ(at_limit.needed, 5u + 256u);
}

TEST(Codec, EncodesExactBytes) {
    std::string out;
    encode_response(out, Layout::Hardware, 1, 200);
    encode(out, Layout::Hardware, cmd::kHardware, 3,
           std::string("vw\0"
                       "0\0"
                       "10.0",
                       9));
    const std::string expected(
        "\x00\x00\x01\x00\xc8"
        "\x14\x00\x03\x00\x09vw\x00"
        "0\x00"
        "10.0",
        19);
    EXPECT_EQ(out, expected);
}

TEST(Codec, AppLayoutUsesFourByteLength) {
    std::string out;
    encode(out, Layout::App, cmd::kHardware, 7, "1-0");
    EXPECT_EQ(out, std::string("\x14\x00\x07\x00\x00\x00\x03"
                               "1-0",
                               10));
    auto r =
        decode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
               DecodeLimits{Layout::App, 100});
    ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(r.frame.body, "1-0");
    EXPECT_EQ(r.consumed, 10u);
}

TEST(Codec, RoundTripsEveryCommandAndIdEdge) {
    for (int command : {1, 6, 20, 29, 64, 99}) {
        for (uint16_t id : {uint16_t{1}, uint16_t{255}, uint16_t{256}, uint16_t{65535}}) {
            std::string body(static_cast<size_t>(command), 'x');
            std::string out;
            encode(out, Layout::Hardware, static_cast<uint8_t>(command), id, body);
            auto in = bytes_of(out);
            auto r = decode_all(in);
            ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
            EXPECT_EQ(r.frame.command, command);
            EXPECT_EQ(r.frame.id, id);
            EXPECT_EQ(r.frame.body, body);
        }
    }
}

TEST(Body, SplitNKeepsTheRestVerbatim) {
    auto f =
        split_n<3>(std::string_view("vw\0"
                                    "1\0"
                                    "a\0"
                                    "b\0"
                                    "c",
                                    10));
    ASSERT_EQ(f.count, 3u);
    EXPECT_EQ(f.field[0], "vw");
    EXPECT_EQ(f.field[1], "1");
    EXPECT_EQ(f.field[2], std::string_view("a\0"
                                           "b\0"
                                           "c",
                                           5));
    auto two =
        split_n<3>(std::string_view("aw\0"
                                    "1",
                                    4));
    EXPECT_EQ(two.count, 2u);
    auto empty_last =
        split_n<3>(std::string_view("aw\0"
                                    "1\0",
                                    5));
    EXPECT_EQ(empty_last.count, 3u);
    EXPECT_TRUE(empty_last.field[2].empty());
    EXPECT_EQ(split_n<3>("").count, 0u);
}

TEST(Body, SplitAllDropsTrailingEmptyFieldsLikeJava) {
    auto f =
        split_all(std::string_view("ver\0"
                                   "0.6.1\0"
                                   "h-beat\0"
                                   "10\0",
                                   20));
    ASSERT_EQ(f.size(), 4u);
    EXPECT_EQ(f[3], "10");
    auto inner =
        split_all(std::string_view("a\0\0"
                                   "b",
                                   4));
    ASSERT_EQ(inner.size(), 3u);
    EXPECT_EQ(inner[1], "");
    EXPECT_TRUE(split_all("").empty());
    EXPECT_EQ(join({"vw", "1", "x"}), std::string("vw\0"
                                                  "1\0"
                                                  "x",
                                                  6));
}

TEST(Body, TrimJavaRemovesControlBytes) {
    EXPECT_EQ(trim_java(std::string_view("\0 token\r\n", 9)), "token");
    EXPECT_EQ(trim_java("   "), "");
}

}  // namespace
}  // namespace blynk::proto
