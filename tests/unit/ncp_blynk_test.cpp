// NCP calls as board frames and back, on the data-path frames of the protocol research
// (ncp.md §3.5 B, captured from the real driver).
#include <gtest/gtest.h>

#include "common/proto/command.hpp"
#include "common/proto/ncp_blynk.hpp"
#include "common/proto/ncp_rpc.hpp"
#include "common/proto/ncp_uids.hpp"
#include "tests/unit/ncp_golden_frames.hpp"

namespace blynk::proto::ncp {
namespace {

using golden::hex;
using namespace std::string_literals;

/// The board frame of a ONEWAY payload given in hex.
std::optional<BoardFrame> of_payload(std::string_view payload_hex, Untranslated& why) {
    const std::string payload = hex(payload_hex);
    auto message = parse_message(payload);
    EXPECT_TRUE(message && message->kind == Message::Kind::Oneway);
    return board_frame_of(message->uid, message->data, why);
}

TEST(NcpBlynkTest, TheMcusCallsAreABoardsFrames) {
    Untranslated why{};
    // virtualWrite V0 "0"
    auto f = of_payload("f3 1c 11 03 00 00 01 00 30", why);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->command, cmd::kHardware);
    EXPECT_EQ(f->body,
              "vw\0"
              "0\0"
              "0"s);
    // syncVirtual "1" "17"
    f = of_payload("f3 1c 13 03 04 00 31 00 31 37", why);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->command, cmd::kHardwareSync);
    EXPECT_EQ(f->body,
              "vr\0"
              "1\0"
              "17"s);
    // setProperty V0 "color" "#FF0000"
    f = of_payload("f3 1c 14 03 00 00 63 6f 6c 6f 72 00 07 00 23 46 46 30 30 30 30", why);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->command, cmd::kSetWidgetProperty);
    EXPECT_EQ(f->body,
              "0\0"
              "color\0"
              "#FF0000"s);
    // logEvent "overheat" "T=99"; without a description only the code
    f = of_payload("f3 1c 17 03 6f 76 65 72 68 65 61 74 00 54 3d 39 39 00", why);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->command, cmd::kEventLog);
    EXPECT_EQ(f->body,
              "overheat\0"
              "T=99"s);
    f = board_frame_of(uid::kLogEvent, "overheat\0\0"s, why);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->body, "overheat");
    // syncAll: an empty sync; a multi-value or empty write keeps its bytes
    f = board_frame_of(uid::kSyncAll, "", why);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->command, cmd::kHardwareSync);
    EXPECT_EQ(f->body, "");
    f = board_frame_of(uid::kVirtualWrite, hex("11 01 05 00 61 00 62 00 63"), why);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->body,
              "vw\0"
              "273\0"
              "a\0b\0c"s);
    f = board_frame_of(uid::kVirtualWrite, hex("02 00 00 00"), why);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->body,
              "vw\0"
              "2\0"s);
}

TEST(NcpBlynkTest, UnusedAndMalformedCallsSayWhy) {
    Untranslated why{};
    for (uint16_t id : {uid::kBeginGroup, uid::kEndGroup, uid::kResolveEvent,
                        uid::kResolveAllEvents, uid::kSetMetadata, uint16_t{0x0999}}) {
        EXPECT_FALSE(board_frame_of(id, "", why)) << id;
        EXPECT_EQ(why, Untranslated::NotUsed) << id;
    }
    for (const std::string& args : {hex("01"), hex("01 00 05 00 61"), hex("01 00 01 00 61 62")}) {
        EXPECT_FALSE(board_frame_of(uid::kVirtualWrite, args, why));
        EXPECT_EQ(why, Untranslated::Malformed);
    }
    EXPECT_FALSE(board_frame_of(uid::kLogEvent, "no terminator", why));
    EXPECT_EQ(why, Untranslated::Malformed);
    EXPECT_FALSE(board_frame_of(uid::kSyncAll, "x", why)) << "trailing bytes";
}

TEST(NcpBlynkTest, OnlyVirtualPinWritesReachTheMcu) {
    // blynkVPinChange V2 "a\0b\0c": the args of the research's frame
    EXPECT_EQ(vpin_change_args(cmd::kHardware,
                               "vw\0"
                               "2\0"
                               "a\0b\0c"s),
              hex("02 00 05 00 61 00 62 00 63"));
    EXPECT_EQ(vpin_change_args(cmd::kHardware,
                               "vw\0"
                               "255\0"s),
              hex("ff 00 00 00"));
    for (const std::string& body : {"dw\0"
                                    "1\0"
                                    "1"s,
                                    "aw\0"
                                    "1\0"
                                    "1"s,
                                    "pm\0"
                                    "1\0"
                                    "out"s,
                                    "vr\0"
                                    "1"s,
                                    "vw\0"
                                    "256\0"
                                    "1"s,
                                    "vw\0"
                                    "x\0"
                                    "1"s,
                                    "vw\0"
                                    "1"s,
                                    "vw\0\0"
                                    "1"s})
        EXPECT_FALSE(vpin_change_args(cmd::kHardware, body)) << body;
    EXPECT_FALSE(vpin_change_args(cmd::kSetWidgetProperty,
                                  "1\0"
                                  "label\0"
                                  "x"s));
}

}  // namespace
}  // namespace blynk::proto::ncp
