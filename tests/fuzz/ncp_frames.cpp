// The Blynk.NCP codec (common/proto/ncp_*) as a serial link will use it: the byte stream cut into
// payloads by the deframer (the default cap and a small one; in one chunk and byte by byte, which
// must agree), every payload framed again and cut back to itself, parsed as an RPC message and
// built back to its bytes, and its args or rets read as a mix of values that, written again, give
// the bytes read; a Blynk call turned into a board's frame and, for a pin write, back.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/proto/ncp_blynk.hpp"
#include "common/proto/ncp_framing.hpp"
#include "common/proto/ncp_rpc.hpp"
#include "common/proto/ncp_uids.hpp"
#include "common/proto/ncp_values.hpp"
#include "tests/fuzz/support/check.hpp"

namespace {

using namespace blynk;
using namespace blynk::proto;
using fuzz::check;

std::span<const uint8_t> as_bytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

bool same_counters(const ncp::DeframerCounters& a, const ncp::DeframerCounters& b) {
    return a.payloads == b.payloads && a.bad_crc == b.bad_crc && a.oversized == b.oversized &&
           a.empty == b.empty && a.restarted == b.restarted && a.bad_escape == b.bad_escape &&
           a.junk_bytes == b.junk_bytes;
}

/// Reads `data` as values, the kinds cycling from `seed`, and checks that writing what was read
/// gives the bytes consumed. Bool is left out: any non-zero byte reads true and is written as 01.
void read_values(std::string_view data, unsigned seed) {
    ncp::Reader reader(data);
    std::string again;
    ncp::Writer writer(again);
    for (unsigned i = seed; reader.ok() && reader.remaining() > 0; ++i) {
        switch (i % 7) {
            case 0:
                writer.u8(reader.u8());
                break;
            case 1:
                writer.u16(reader.u16());
                break;
            case 2:
                writer.u32(reader.u32());
                break;
            case 3:
                writer.i16(reader.i16());
                break;
            case 4:
                writer.i64(reader.i64());
                break;
            case 5:
                writer.string(reader.string());
                break;
            case 6:
                writer.binary(reader.binary());
                break;
        }
    }
    if (reader.ok()) {
        check(reader.consumed_exactly(), "a reader that stopped without failing read everything");
        check(again == data, "values written again give the bytes read");
    } else {
        check(!reader.consumed_exactly(), "a failed reader did not consume exactly");
        check(reader.remaining() > 0 || reader.error() == ncp::ReadError::Truncated ||
                  reader.error() == ncp::ReadError::MissingNul,
              "a failure says why");
    }
    (void)ncp::Reader(data).boolean();
}

void check_payload(std::string_view payload, size_t max_payload) {
    check(!payload.empty(), "a payload is never empty");
    check(payload.size() <= max_payload, "a payload within the cap");

    std::string frame;
    check(ncp::encode_frame(frame, payload, max_payload), "a payload read can be sent");
    ncp::Deframer again(max_payload);
    auto in = as_bytes(frame);
    const auto back = again.next(in);
    check(back && *back == payload && in.empty(), "a frame sent reads back as its payload");

    const auto message = ncp::parse_message(payload);
    if (!message) return;
    std::string built;
    switch (message->kind) {
        case ncp::Message::Kind::Invoke:
            ncp::append_invoke(built, message->uid, message->msg_id, message->data);
            break;
        case ncp::Message::Kind::Result:
            ncp::append_result(built, message->msg_id, message->status, message->data);
            break;
        case ncp::Message::Kind::Oneway:
            ncp::append_oneway(built, message->uid, message->data);
            break;
        case ncp::Message::Kind::Unknown:
            built = payload.substr(0, payload.size() - message->data.size());
            built += message->data;
            break;
    }
    check(built == payload, "a message builds back to its payload");
    read_values(message->data, message->uid ^ message->msg_id);
    // What the host would hand the hub, and back: a virtualWrite's frame gives its args again.
    ncp::Untranslated why{};
    if (auto frame = ncp::board_frame_of(message->uid, message->data, why)) {
        if (message->uid == ncp::uid::kVirtualWrite) {
            const auto args = ncp::vpin_change_args(frame->command, frame->body);
            const bool pin_fits =
                message->data.size() >= 2 && static_cast<uint8_t>(message->data[1]) == 0;
            check(!pin_fits || (args && *args == message->data),
                  "a virtual pin write of pin 0..255 translates back to its args");
        }
    }
}

/// Deframes `in` in one chunk and byte by byte; both must give the same payloads and counters.
void deframe(std::span<const uint8_t> in, size_t max_payload) {
    ncp::Deframer whole(max_payload);
    std::vector<std::string> payloads;
    auto rest = in;
    while (auto payload = whole.next(rest)) {
        check_payload(*payload, max_payload);
        payloads.emplace_back(*payload);
    }
    check(rest.empty(), "next() uses up its input");
    check(whole.counters().payloads == payloads.size(), "every payload handed out is counted");

    ncp::Deframer bytewise(max_payload);
    size_t index = 0;
    for (size_t i = 0; i < in.size(); ++i) {
        auto one = in.subspan(i, 1);
        while (auto payload = bytewise.next(one))
            check(index < payloads.size() && *payload == payloads[index++],
                  "byte by byte gives the same payloads");
    }
    check(index == payloads.size(), "byte by byte gives as many payloads");
    check(same_counters(whole.counters(), bytewise.counters()), "byte by byte counts the same");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> in(data, size);
    deframe(in, ncp::kDefaultMaxPayload);
    deframe(in, 16);
    return 0;
}
