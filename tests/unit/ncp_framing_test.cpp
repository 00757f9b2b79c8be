#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/proto/ncp_crc.hpp"
#include "common/proto/ncp_framing.hpp"
#include "tests/unit/ncp_golden_frames.hpp"

namespace blynk::proto::ncp {
namespace {

using golden::hex;

const std::string kPing = hex("aa bc 67 01 01 01 00 4f bb");
const std::string kPingPayload = hex("bc 67 01 01 01 00");

std::span<const uint8_t> as_bytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

/// Every payload the deframer hands out for `chunks`, fed in that order.
std::vector<std::string> deframe(Deframer& deframer, const std::vector<std::string>& chunks) {
    std::vector<std::string> payloads;
    for (const std::string& chunk : chunks) {
        auto in = as_bytes(chunk);
        while (auto payload = deframer.next(in))
            payloads.emplace_back(*payload);
        EXPECT_TRUE(in.empty());
    }
    return payloads;
}

std::vector<std::string> deframe(const std::string& stream) {
    Deframer deframer;
    return deframe(deframer, {stream});
}

std::vector<std::string> all_payloads() {
    std::vector<std::string> out;
    for (const auto& f : golden::frames())
        out.push_back(f.payload);
    return out;
}

TEST(NcpCrcTest, IsCrc8SmbusWithItsCheckValue) {
    EXPECT_EQ(crc8("123456789"), 0xF4);
    EXPECT_EQ(crc8(""), 0x00);
    EXPECT_EQ(crc8(hex("bc 67 01 01 02 00")), 0x70);  // the specification's ping
    EXPECT_EQ(crc8(hex("12 a5 17 00 00 05")), 0xCC);
}

TEST(NcpFramingTest, EncodesEveryGoldenPayloadToItsFrame) {
    for (const auto& f : golden::frames()) {
        std::string out = "x";
        ASSERT_TRUE(encode_frame(out, f.payload)) << f.name;
        EXPECT_EQ(out, "x" + f.encoded) << f.name;
    }
}

TEST(NcpFramingTest, EscapesEverySpecialByteAndTheCrc) {
    const std::string payload = hex("11 13 aa bb cc 00 ff");
    std::string out;
    ASSERT_TRUE(encode_frame(out, payload));
    const uint8_t crc = crc8(payload);
    EXPECT_EQ(out,
              hex("aa cc ee cc ec cc 55 cc 44 cc 33 00 ff") + static_cast<char>(crc) + hex("bb"));
    // The CRC itself: 12 a5 17 00 00 05 has the CRC CC.
    out.clear();
    ASSERT_TRUE(encode_frame(out, hex("12 a5 17 00 00 05")));
    EXPECT_EQ(out, hex("aa 12 a5 17 00 00 05 cc 33 bb"));
}

TEST(NcpFramingTest, RefusesEmptyAndOversizedPayloads) {
    std::string out = "kept";
    EXPECT_FALSE(encode_frame(out, ""));
    EXPECT_FALSE(encode_frame(out, std::string(kDefaultMaxPayload + 1, 'a')));
    EXPECT_FALSE(encode_frame(out, "0123456789a", 10));
    EXPECT_EQ(out, "kept");

    // At the cap exactly: sent.
    out.clear();
    ASSERT_TRUE(encode_frame(out, "0123456789", 10));
    EXPECT_EQ(deframe(out), std::vector<std::string>{"0123456789"});
    out.clear();
    ASSERT_TRUE(encode_frame(out, std::string(kDefaultMaxPayload, 'a')));
    EXPECT_EQ(deframe(out), std::vector<std::string>{std::string(kDefaultMaxPayload, 'a')});
}

TEST(NcpDeframerTest, DecodesEveryGoldenFrame) {
    for (const auto& f : golden::frames()) {
        Deframer deframer;
        EXPECT_EQ(deframe(deframer, {f.wire}), std::vector<std::string>{f.payload}) << f.name;
        EXPECT_EQ(deframer.counters().payloads, 1u) << f.name;
        // What we send decodes to the same payload (differs from `wire` for raw 11/13).
        EXPECT_EQ(deframe(deframer, {f.encoded}), std::vector<std::string>{f.payload}) << f.name;
    }
}

TEST(NcpDeframerTest, RawAndEscapedXonXoffAreTheSameData) {
    EXPECT_EQ(deframe(hex("aa f3 1c 11 03 00 00 01 00 30 42 bb")),
              deframe(hex("aa f3 1c cc ee 03 00 00 01 00 30 42 bb")));
    EXPECT_EQ(deframe(hex("aa f3 1c 13 03 04 00 31 00 31 37 72 bb")),
              std::vector<std::string>{hex("f3 1c 13 03 04 00 31 00 31 37")});
}

TEST(NcpDeframerTest, EveryGoldenFrameSplitAtEveryOffset) {
    for (const auto& f : golden::frames()) {
        for (size_t cut = 0; cut <= f.wire.size(); ++cut) {
            Deframer deframer;
            EXPECT_EQ(deframe(deframer, {f.wire.substr(0, cut), f.wire.substr(cut)}),
                      std::vector<std::string>{f.payload})
                << f.name << " cut at " << cut;
        }
    }
}

TEST(NcpDeframerTest, AllGoldenFramesByteByByte) {
    std::vector<std::string> chunks;
    for (const auto& f : golden::frames())
        for (char c : f.wire)
            chunks.emplace_back(1, c);
    Deframer deframer;
    EXPECT_EQ(deframe(deframer, chunks), all_payloads());
    EXPECT_EQ(deframer.counters().payloads, golden::frames().size());
    EXPECT_EQ(deframer.counters().junk_bytes, 0u);
}

TEST(NcpDeframerTest, SeveralFramesInOneChunkWithJunkBetween) {
    const std::string junk = hex("00 11 bb 13 ff cc");
    std::string stream = junk;
    for (const auto& f : golden::frames())
        stream += f.wire + junk;
    Deframer deframer;
    EXPECT_EQ(deframe(deframer, {stream}), all_payloads());
    EXPECT_EQ(deframer.counters().junk_bytes, junk.size() * (golden::frames().size() + 1));
    EXPECT_EQ(deframer.counters().bad_crc, 0u);

    // The same stream in two chunks, cut anywhere.
    for (size_t cut = 0; cut <= stream.size(); ++cut) {
        Deframer split;
        EXPECT_EQ(deframe(split, {stream.substr(0, cut), stream.substr(cut)}), all_payloads())
            << "cut at " << cut;
    }
}

TEST(NcpDeframerTest, BadCrcIsDroppedAndCountedAndTheNextFrameDecoded) {
    std::string wrong_crc = kPing;
    wrong_crc[7] = 0x4e;
    std::string flipped_bit = kPing;
    flipped_bit[5] ^= 0x01;
    Deframer deframer;
    EXPECT_EQ(deframe(deframer, {wrong_crc + flipped_bit + kPing}),
              std::vector<std::string>{kPingPayload});
    EXPECT_EQ(deframer.counters().bad_crc, 2u);
    EXPECT_EQ(deframer.counters().payloads, 1u);
}

TEST(NcpDeframerTest, OversizedFrameIsDroppedAndTheNextDecoded) {
    std::string too_long;
    ASSERT_TRUE(encode_frame(too_long, std::string(17, 'a'), 17));
    std::string longest;
    ASSERT_TRUE(encode_frame(longest, std::string(16, 'b'), 16));

    Deframer deframer(16);
    EXPECT_EQ(deframer.max_payload(), 16u);
    EXPECT_EQ(deframe(deframer, {too_long + longest + kPing}),
              (std::vector<std::string>{std::string(16, 'b'), kPingPayload}));
    EXPECT_EQ(deframer.counters().oversized, 1u);
    EXPECT_EQ(deframer.counters().junk_bytes, 0u);

    // A frame that never ends is dropped as it goes; a new AA starts over.
    const std::string endless = hex("aa") + std::string(100000, '\x01');
    EXPECT_EQ(deframe(deframer, {endless, kPing}), std::vector<std::string>{kPingPayload});
    EXPECT_EQ(deframer.counters().oversized, 2u);
    EXPECT_EQ(deframer.counters().restarted, 0u);
}

TEST(NcpDeframerTest, TheDefaultCapIs1536RawBytesEscapesNotCounted) {
    std::string largest;  // every byte escaped: 3072 bytes of payload on the wire
    ASSERT_TRUE(encode_frame(largest, std::string(kDefaultMaxPayload, '\xaa')));
    std::string too_large;
    ASSERT_TRUE(encode_frame(too_large, std::string(kDefaultMaxPayload + 1, 'a'), 2000));
    Deframer deframer;
    EXPECT_EQ(deframe(deframer, {too_large + largest}),
              std::vector<std::string>{std::string(kDefaultMaxPayload, '\xaa')});
    EXPECT_EQ(deframer.counters().oversized, 1u);
}

TEST(NcpDeframerTest, EmptyFramesYieldNothing) {
    Deframer deframer;
    // `aa bb`, and a frame of only the empty payload's CRC (00).
    EXPECT_EQ(deframe(deframer, {hex("aa bb aa 00 bb") + kPing}),
              std::vector<std::string>{kPingPayload});
    EXPECT_EQ(deframer.counters().empty, 2u);
    EXPECT_EQ(deframer.counters().payloads, 1u);
}

TEST(NcpDeframerTest, RawAaInsideAFrameStartsANewFrame) {
    Deframer deframer;
    EXPECT_EQ(deframe(deframer, {hex("aa bc 67 01") + kPing, hex("aa 12 cc") + kPing}),
              (std::vector<std::string>{kPingPayload, kPingPayload}));
    EXPECT_EQ(deframer.counters().restarted, 2u);
    EXPECT_EQ(deframer.counters().bad_crc, 0u);
}

TEST(NcpDeframerTest, FrameEndingOnAnEscapeIsDropped) {
    Deframer deframer;
    EXPECT_EQ(deframe(deframer, {hex("aa bc 67 01 01 01 00 4f cc bb") + kPing}),
              std::vector<std::string>{kPingPayload});
    EXPECT_EQ(deframer.counters().bad_escape, 1u);
}

TEST(NcpDeframerTest, AnyEscapedByteIsXoredAsTheDriverDoes) {
    // CC FE is not something an encoder emits, but it reads as 01, like the driver reads it.
    EXPECT_EQ(deframe(hex("aa bc 67 cc fe 01 01 00 4f bb")),
              std::vector<std::string>{kPingPayload});
}

TEST(NcpDeframerTest, AFrameBegunInOneChunkEndsInTheNext) {
    Deframer deframer;
    const std::string first_bytes = hex("00 aa bc 67 01 01");
    auto first = as_bytes(first_bytes);
    const std::string second_bytes = hex("01 00 4f bb aa 12");
    auto second = as_bytes(second_bytes);
    EXPECT_FALSE(deframer.next(first));
    EXPECT_TRUE(first.empty());
    auto payload = deframer.next(second);
    ASSERT_TRUE(payload);
    EXPECT_EQ(*payload, kPingPayload);
    EXPECT_EQ(second.size(), 2u);  // the rest stays for the next call
    EXPECT_FALSE(deframer.next(second));
    EXPECT_TRUE(second.empty());
    EXPECT_EQ(deframer.counters().junk_bytes, 1u);
}

}  // namespace
}  // namespace blynk::proto::ncp
