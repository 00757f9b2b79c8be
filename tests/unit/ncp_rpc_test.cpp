#include <gtest/gtest.h>

#include <string>

#include "common/proto/ncp_rpc.hpp"
#include "common/proto/ncp_uids.hpp"
#include "common/proto/ncp_values.hpp"
#include "tests/unit/ncp_golden_frames.hpp"

namespace blynk::proto::ncp {
namespace {

using golden::hex;

const std::string& payload_of(std::string_view name) {
    for (const auto& f : golden::frames())
        if (f.name == name) return f.payload;
    ADD_FAILURE() << "no golden frame " << name;
    static const std::string none;
    return none;
}

Message parsed(std::string_view name) {
    const auto m = parse_message(payload_of(name));
    EXPECT_TRUE(m) << name;
    return m.value_or(Message{});
}

/// A RESULT without rets: parsed, then built back to its bytes.
void expect_bare_result(std::string_view name, uint16_t msg_id, uint8_t status_value) {
    auto m = parsed(name);
    EXPECT_EQ(m.kind, Message::Kind::Result) << name;
    EXPECT_EQ(m.opcode, opcode::kResult) << name;
    EXPECT_EQ(m.msg_id, msg_id) << name;
    EXPECT_EQ(m.status, status_value) << name;
    EXPECT_TRUE(m.data.empty()) << name;
    std::string built;
    append_result(built, msg_id, status_value);
    EXPECT_EQ(built, payload_of(name)) << name;
}

TEST(NcpRpcTest, StartUpInvokesAndResults) {
    auto ping = parsed("ping id 1");
    EXPECT_EQ(ping.kind, Message::Kind::Invoke);
    EXPECT_EQ(ping.opcode, opcode::kInvoke);
    EXPECT_EQ(ping.uid, uid::kNcpPing);
    EXPECT_EQ(ping.msg_id, 1);
    EXPECT_TRUE(ping.data.empty());
    std::string built;
    append_invoke(built, uid::kNcpPing, 1);
    EXPECT_EQ(built, payload_of("ping id 1"));

    expect_bare_result("result id 1 ok", 1, status::kOk);
    expect_bare_result("spec result id 2", 2, status::kOk);

    auto baud = parsed("setUartBaudRate 2000000");
    EXPECT_EQ(baud.kind, Message::Kind::Invoke);
    EXPECT_EQ(baud.uid, uid::kHwSetUartBaudRate);
    EXPECT_EQ(baud.msg_id, 2);
    Reader args(baud.data);
    EXPECT_EQ(args.u32(), 2000000u);
    EXPECT_TRUE(args.consumed_exactly());
    built.clear();
    append_invoke(built, uid::kHwSetUartBaudRate, 2);
    Writer(built).u32(2000000);
    EXPECT_EQ(built, payload_of("setUartBaudRate 2000000"));

    auto yes = parsed("result id 2 true");
    EXPECT_EQ(yes.msg_id, 2);
    EXPECT_EQ(yes.status, status::kOk);
    Reader rets(yes.data);
    EXPECT_TRUE(rets.boolean());
    EXPECT_TRUE(rets.consumed_exactly());
    built.clear();
    append_result(built, 2, status::kOk);
    Writer(built).boolean(true);
    EXPECT_EQ(built, payload_of("result id 2 true"));
}

TEST(NcpRpcTest, InitializeCarriesTwoStrings) {
    auto init = parsed("initialize");
    EXPECT_EQ(init.uid, uid::kInitialize);
    EXPECT_EQ(init.msg_id, 8);
    Reader args(init.data);
    EXPECT_EQ(args.string(), "TMPL0vFkFmJM7");
    EXPECT_EQ(args.string(), "QPower");
    EXPECT_TRUE(args.consumed_exactly());
    std::string built;
    append_invoke(built, uid::kInitialize, 8);
    Writer(built).string("TMPL0vFkFmJM7").string("QPower");
    EXPECT_EQ(built, payload_of("initialize"));
}

TEST(NcpRpcTest, StatePushesAndEventsAreOneways) {
    for (auto [name, state_value] :
         {std::pair{"state 4", state::kConnectingCloud}, std::pair{"state 5", state::kConnected}}) {
        auto push = parsed(name);
        EXPECT_EQ(push.kind, Message::Kind::Oneway) << name;
        EXPECT_EQ(push.opcode, opcode::kOneway);
        EXPECT_EQ(push.uid, uid::kClientStateChange);
        Reader args(push.data);
        EXPECT_EQ(args.u8(), state_value);
        EXPECT_TRUE(args.consumed_exactly());
        std::string built;
        append_oneway(built, uid::kClientStateChange);
        Writer(built).u8(state_value);
        EXPECT_EQ(built, payload_of(name));
    }
    std::string built;
    append_oneway(built, uid::kClientProcessEvent);
    Writer(built).u8(event::kProvisioned);
    EXPECT_EQ(built, payload_of("event 20"));
}

TEST(NcpRpcTest, DataPathOneways) {
    auto write = parsed("virtualWrite V0 raw 11");
    EXPECT_EQ(write.uid, uid::kVirtualWrite);
    Reader w(write.data);
    EXPECT_EQ(w.u16(), 0);
    EXPECT_EQ(w.binary(), "0");
    EXPECT_TRUE(w.consumed_exactly());

    auto sync = parsed("syncVirtual raw 13");
    EXPECT_EQ(sync.uid, uid::kSyncVirtual);
    Reader s(sync.data);
    EXPECT_EQ(s.binary(), std::string("1\0"
                                      "17",
                                      4));  // decimal text pins, 00-separated
    EXPECT_TRUE(s.consumed_exactly());

    auto property = parsed("setProperty");
    EXPECT_EQ(property.uid, uid::kSetProperty);
    Reader p(property.data);
    EXPECT_EQ(p.u16(), 0);
    EXPECT_EQ(p.string(), "color");
    EXPECT_EQ(p.binary(), "#FF0000");
    EXPECT_TRUE(p.consumed_exactly());

    auto log = parsed("logEvent crc 00");
    EXPECT_EQ(log.uid, uid::kLogEvent);
    Reader l(log.data);
    EXPECT_EQ(l.string(), "overheat");
    EXPECT_EQ(l.string(), "T=99");
    EXPECT_TRUE(l.consumed_exactly());

    std::string built;
    append_oneway(built, uid::kVirtualWrite);
    Writer(built).u16(0).binary("0");
    EXPECT_EQ(built, payload_of("virtualWrite V0 raw 11"));
    built.clear();
    append_oneway(built, uid::kSetProperty);
    Writer(built).u16(0).string("color").binary("#FF0000");
    EXPECT_EQ(built, payload_of("setProperty"));
    built.clear();
    append_oneway(built, uid::kLogEvent);
    Writer(built).string("overheat").string("T=99");
    EXPECT_EQ(built, payload_of("logEvent crc 00"));
}

TEST(NcpRpcTest, PinChangesToTheMcu) {
    std::string built;
    append_oneway(built, uid::kClientVPinChange);
    Writer(built).u16(1).binary("1");
    EXPECT_EQ(built, payload_of("blynkVPinChange V1"));
    built.clear();
    append_oneway(built, uid::kClientVPinChange, hex("02 00 05 00 61 00 62 00 63"));
    EXPECT_EQ(built, payload_of("blynkVPinChange V2 multi"));

    auto multi = parsed("blynkVPinChange V2 multi");
    Reader r(multi.data);
    EXPECT_EQ(r.u16(), 2);
    EXPECT_EQ(r.binary(), std::string("a\0b\0c", 5));
    EXPECT_TRUE(r.consumed_exactly());
}

TEST(NcpRpcTest, McuPingAndResultsWithEscapedBytes) {
    auto ping = parsed("mcu.ping id 257");
    EXPECT_EQ(ping.uid, uid::kMcuPing);
    EXPECT_EQ(ping.msg_id, 257);
    std::string built;
    append_invoke(built, uid::kMcuPing, 257);
    EXPECT_EQ(built, payload_of("mcu.ping id 257"));
    expect_bare_result("result id 257 ok", 257, status::kOk);

    auto connected = parsed("result id 23 crc cc");
    EXPECT_EQ(connected.msg_id, 23);
    EXPECT_EQ(connected.status, status::kOk);
    EXPECT_EQ(connected.data, hex("05"));

    expect_bare_result("result id 3 unknown uid", 3, status::kUnknownUid);
}

TEST(NcpRpcTest, StatusNumbersFollowTheDriversCode) {
    EXPECT_EQ(status::kGeneric, 0x10);
    EXPECT_EQ(status::kTimeout, 0x11);
    EXPECT_EQ(status::kNoMemory, 0x12);
    EXPECT_EQ(status::kUnknownUid, 0x13);
    EXPECT_EQ(status::kArgsWriteFailed, 0x14);
    EXPECT_EQ(status::kArgsReadFailed, 0x15);
    EXPECT_EQ(status::kRetsWriteFailed, 0x16);
    EXPECT_EQ(status::kRetsReadFailed, 0x17);
}

TEST(NcpRpcTest, MessageIdsUseAllSixteenBits) {
    for (uint16_t id : {uint16_t{0}, uint16_t{0x1234}, uint16_t{0xffff}}) {
        std::string built;
        append_invoke(built, uid::kMcuHasUid, id, hex("41 04"));
        auto m = parse_message(built);
        ASSERT_TRUE(m);
        EXPECT_EQ(m->msg_id, id);
        EXPECT_EQ(m->uid, uid::kMcuHasUid);
        EXPECT_EQ(m->data, hex("41 04"));
    }
}

TEST(NcpRpcTest, ShortPayloadsAreRefused) {
    for (const char* payload :
         {"", "bc", "bc 67 01 01 01", "12 a5 01 00", "12 a5", "f3 1c 11", "f3"}) {
        EXPECT_FALSE(parse_message(hex(payload))) << payload;
    }
    // The smallest of each kind.
    EXPECT_TRUE(parse_message(hex("bc 67 01 01 01 00")));
    EXPECT_TRUE(parse_message(hex("12 a5 01 00 00")));
    EXPECT_TRUE(parse_message(hex("f3 1c 12 03")));
}

TEST(NcpRpcTest, UnknownOpcodesAreReportedAsUnknown) {
    const std::string payload = hex("74 d6 01 02 03");  // data points into it
    auto reserved = parse_message(payload);
    ASSERT_TRUE(reserved);
    EXPECT_EQ(reserved->kind, Message::Kind::Unknown);
    EXPECT_EQ(reserved->opcode, 0xD674);
    EXPECT_EQ(reserved->data, hex("01 02 03"));
    auto bare = parse_message(hex("00 00"));
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->kind, Message::Kind::Unknown);
    EXPECT_TRUE(bare->data.empty());
}

}  // namespace
}  // namespace blynk::proto::ncp
