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

// --- App layout (7-byte header: cmd, id u16, length u32; RESPONSE: status u32) ---

// An app LOGIN as the Android app sends it: email, password hash, os, version (server-surface
// §5.1).
const std::string kAppLoginBody(
    "you@example.com\0umQa2BgnNlEIHw9zYsZIQzRyUdDhR4k0Cv0T7Bh6Nmo=\0"
    "Android\0"
    "2.27.1",
    75);

std::vector<uint8_t> golden_app_login() {
    auto in = bytes({0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x4b});
    auto body = bytes_of(kAppLoginBody);
    in.insert(in.end(), body.begin(), body.end());
    return in;
}

TEST(CodecApp, DecodesGoldenLoginFrame) {
    auto in = golden_app_login();
    auto r = decode_all(in, 10'000'000, Layout::App);
    ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(r.consumed, 82u);
    EXPECT_EQ(r.frame.command, cmd::kLogin);
    EXPECT_EQ(r.frame.id, 1);
    EXPECT_EQ(r.frame.body, kAppLoginBody);
}

TEST(CodecApp, EncodesTheGoldenLoginFrame) {
    std::string out;
    encode(out, Layout::App, cmd::kLogin, 1, kAppLoginBody);
    EXPECT_EQ(bytes_of(out), golden_app_login());
}

TEST(CodecApp, EveryPrefixOfTheGoldenFrameNeedsMore) {
    auto in = golden_app_login();
    for (size_t cut = 0; cut < in.size(); ++cut) {
        std::vector<uint8_t> prefix(in.begin(), in.begin() + cut);
        auto r = decode_all(prefix, 10'000'000, Layout::App);
        EXPECT_EQ(r.kind, DecodeResult::Kind::NeedMore) << "cut at " << cut;
        if (cut >= 7) {
            EXPECT_EQ(r.needed, in.size()) << "cut at " << cut;
        } else {
            EXPECT_EQ(r.needed, 0u) << "cut at " << cut;
        }
    }
}

TEST(CodecApp, ResponseHasAFourByteStatusAndNoBody) {
    // status 200 (0x000000c8) + the first byte of the next frame
    auto in = bytes({0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0xc8, 0x14});
    auto r = decode_all(in, 100, Layout::App);
    ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(r.consumed, 7u);
    EXPECT_EQ(r.frame.id, 7);
    EXPECT_EQ(r.frame.status, 200u);
    EXPECT_TRUE(r.frame.body.empty());

    std::string out;
    encode_response(out, Layout::App, 0x1234, 0x01020304);
    EXPECT_EQ(out, std::string("\x00\x12\x34\x01\x02\x03\x04", 7));
}

TEST(CodecApp, GoldenStreamSplitAtEveryOffsetDecodesIdentically) {
    // RESPONSE id 1 status 200, then HARDWARE id 2 with body 1 NUL vw NUL 4 NUL 1 (8 bytes).
    const auto all = bytes({0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xc8,  //
                            0x14, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08,  //
                            '1',  0x00, 'v',  'w',  0x00, '4',  0x00, '1'});
    const std::string hardware_body(
        "1\0vw\0"
        "4\0"
        "1",
        8);
    for (size_t cut = 0; cut <= all.size(); ++cut) {
        // Feed the first `cut` bytes, then the rest appended, as a session's buffer would.
        std::vector<uint8_t> buffer(all.begin(), all.begin() + cut);
        std::vector<FrameView> got;
        std::vector<std::string> bodies;
        size_t fed = cut;
        while (true) {
            auto r = decode_all(buffer, 10'000'000, Layout::App);
            if (r.kind == DecodeResult::Kind::Frame) {
                got.push_back(r.frame);
                bodies.emplace_back(r.frame.body);
                buffer.erase(buffer.begin(), buffer.begin() + r.consumed);
                continue;
            }
            ASSERT_EQ(r.kind, DecodeResult::Kind::NeedMore) << "cut at " << cut;
            if (fed == all.size()) break;
            buffer.insert(buffer.end(), all.begin() + fed, all.end());
            fed = all.size();
        }
        ASSERT_EQ(got.size(), 2u) << "cut at " << cut;
        EXPECT_EQ(got[0].command, cmd::kResponse);
        EXPECT_EQ(got[0].id, 1);
        EXPECT_EQ(got[0].status, 200u);
        EXPECT_EQ(got[1].command, cmd::kHardware);
        EXPECT_EQ(got[1].id, 2);
        EXPECT_EQ(bodies[1], hardware_body);
        EXPECT_TRUE(buffer.empty());
    }
}

TEST(CodecApp, LengthIsFourBytesAndCheckedAgainstTheLimitFromTheHeader) {
    // 65,536 bytes: too long for the hardware layout, fine for the app.
    auto big =
        decode_all(bytes({0x14, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00}), 10'000'000, Layout::App);
    EXPECT_EQ(big.kind, DecodeResult::Kind::NeedMore);
    EXPECT_EQ(big.needed, 7u + 65536u);
    // 10,000,001 bytes (0x00989681) against the app's 10,000,000 limit.
    auto over =
        decode_all(bytes({0x14, 0x00, 0x01, 0x00, 0x98, 0x96, 0x81}), 10'000'000, Layout::App);
    EXPECT_EQ(over.kind, DecodeResult::Kind::Error);
    EXPECT_EQ(over.error, DecodeError::BodyTooLarge);
    EXPECT_EQ(over.declared_length, 10'000'001u);
    auto invalid = decode_all(bytes({0x64, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00}), 100, Layout::App);
    EXPECT_EQ(invalid.kind, DecodeResult::Kind::Error);
    EXPECT_EQ(invalid.error, DecodeError::InvalidCommand);
}

// --- WebApp layout (`/dashws`: 3-byte header, the WebSocket message delimits the frame) ---

TEST(CodecWebApp, HeaderIsThreeBytes) {
    EXPECT_EQ(header_size(Layout::WebApp), 3u);
    EXPECT_EQ(header_size(Layout::App), 7u);
    EXPECT_EQ(header_size(Layout::Hardware), 5u);
}

TEST(CodecWebApp, DecodesAGoldenMessageWhoseBodyIsTheRest) {
    const auto in = bytes({0x14, 0x01, 0x02, '1', 0x00, 'v', 'w', 0x00, '4', 0x00, '1'});
    auto r = decode_all(in, 100, Layout::WebApp);
    ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(r.consumed, in.size());
    EXPECT_EQ(r.frame.command, cmd::kHardware);
    EXPECT_EQ(r.frame.id, 0x0102);
    EXPECT_EQ(r.frame.status, 0u);
    EXPECT_EQ(r.frame.body, std::string_view("1\0vw\0"
                                             "4\0"
                                             "1",
                                             8));
}

TEST(CodecWebApp, HeaderAloneIsAFrameWithAnEmptyBody) {
    auto r = decode_all(bytes({0x06, 0xff, 0xfe}), 100, Layout::WebApp);
    ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(r.consumed, 3u);
    EXPECT_EQ(r.frame.command, cmd::kPing);
    EXPECT_EQ(r.frame.id, 0xfffe);
    EXPECT_TRUE(r.frame.body.empty());
}

TEST(CodecWebApp, DecodesAGoldenResponse) {
    auto r = decode_all(bytes({0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0xc8}), 100, Layout::WebApp);
    ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(r.consumed, 7u);
    EXPECT_EQ(r.frame.command, cmd::kResponse);
    EXPECT_EQ(r.frame.id, 5);
    EXPECT_EQ(r.frame.status, 200u);
    EXPECT_TRUE(r.frame.body.empty());
    // Bytes after the status are not a body; the whole message is consumed.
    auto extra =
        decode_all(bytes({0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x09, 'x'}), 100, Layout::WebApp);
    ASSERT_EQ(extra.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(extra.consumed, 8u);
    EXPECT_EQ(extra.frame.status, 9u);
    EXPECT_TRUE(extra.frame.body.empty());
}

TEST(CodecWebApp, MessagesShorterThanTheHeaderAreTruncated) {
    const auto whole = bytes({0x14, 0x00, 0x01});
    for (size_t size = 0; size < whole.size(); ++size) {
        std::vector<uint8_t> in(whole.begin(), whole.begin() + size);
        auto r = decode_all(in, 100, Layout::WebApp);
        EXPECT_EQ(r.kind, DecodeResult::Kind::Error) << "size " << size;
        EXPECT_EQ(r.error, DecodeError::Truncated) << "size " << size;
    }
    EXPECT_EQ(describe(DecodeError::Truncated), "message shorter than its header");
}

TEST(CodecWebApp, ResponseWithoutAllFourStatusBytesIsTruncated) {
    const auto whole = bytes({0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0xc8});
    for (size_t size = 0; size < whole.size(); ++size) {
        std::vector<uint8_t> in(whole.begin(), whole.begin() + size);
        auto r = decode_all(in, 100, Layout::WebApp);
        EXPECT_EQ(r.kind, DecodeResult::Kind::Error) << "size " << size;
        EXPECT_EQ(r.error, DecodeError::Truncated) << "size " << size;
    }
}

TEST(CodecWebApp, BodyOverTheLimitIsRejectedWithItsSize) {
    std::vector<uint8_t> in = bytes({0x14, 0x00, 0x01});
    in.resize(3 + 256, 'x');
    auto at_limit = decode_all(in, 256, Layout::WebApp);
    ASSERT_EQ(at_limit.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(at_limit.frame.body.size(), 256u);
    in.push_back('x');
    auto over = decode_all(in, 256, Layout::WebApp);
    EXPECT_EQ(over.kind, DecodeResult::Kind::Error);
    EXPECT_EQ(over.error, DecodeError::BodyTooLarge);
    EXPECT_EQ(over.declared_length, 257u);
}

TEST(CodecWebApp, CommandAtOrAbove100IsAnError) {
    auto r = decode_all(bytes({0x64, 0x00, 0x01, 'x'}), 100, Layout::WebApp);
    EXPECT_EQ(r.kind, DecodeResult::Kind::Error);
    EXPECT_EQ(r.error, DecodeError::InvalidCommand);
    auto ff = decode_all(bytes({0xff, 0x00, 0x01}), 100, Layout::WebApp);
    EXPECT_EQ(ff.error, DecodeError::InvalidCommand);
    auto ok = decode_all(bytes({0x63, 0x00, 0x01}), 100, Layout::WebApp);
    ASSERT_EQ(ok.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(ok.frame.command, 99);
}

TEST(CodecWebApp, EncodesExactBytes) {
    std::string frame;
    encode(frame, Layout::WebApp, cmd::kHardware, 0x0102,
           std::string("1\0vw\0"
                       "4\0"
                       "1",
                       8));
    EXPECT_EQ(bytes_of(frame),
              bytes({0x14, 0x01, 0x02, '1', 0x00, 'v', 'w', 0x00, '4', 0x00, '1'}));
    std::string empty;
    encode(empty, Layout::WebApp, cmd::kPing, 9, {});
    EXPECT_EQ(bytes_of(empty), bytes({0x06, 0x00, 0x09}));
    std::string response;
    encode_response(response, Layout::WebApp, 5, 200);
    EXPECT_EQ(bytes_of(response), bytes({0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0xc8}));
}

TEST(CodecWebApp, RoundTripsBodiesLongerThanTheHardwareLimit) {
    const std::string body(70'000, 'b');
    std::string out;
    encode(out, Layout::WebApp, 24, 65535, body);
    ASSERT_EQ(out.size(), 3u + body.size());
    auto in = bytes_of(out);
    auto r = decode_all(in, 10'000'000, Layout::WebApp);
    ASSERT_EQ(r.kind, DecodeResult::Kind::Frame);
    EXPECT_EQ(r.frame.command, 24);
    EXPECT_EQ(r.frame.id, 65535);
    EXPECT_EQ(r.frame.body, body);
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
