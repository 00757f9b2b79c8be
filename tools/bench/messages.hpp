#pragma once
// Message bodies that carry their send time, and the parsers that recover it: a value is 16 hex
// digits of the sender's CLOCK_MONOTONIC nanoseconds, padded with '.' to the requested size.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/proto/codec.hpp"
#include "tools/bench/workload.hpp"

namespace blynk::bench {

/// Appends a timestamped value of at least 16 bytes (`size` when larger).
void append_stamp(std::string& out, uint64_t sent_ns, size_t size);
/// The timestamp at the start of `value`; false when it is not one of ours.
bool parse_stamp(std::string_view value, uint64_t& sent_ns);

/// Blynk frames of `layout`: RESPONSE 200 → Ack, other RESPONSE → Error, a frame whose last NUL
/// field is a stamp → Delivery.
Parsed parse_blynk(std::string_view in, proto::Layout layout = proto::Layout::Hardware);
/// One HTTP/1.1 response with Content-Length: 200 → Ack, else Error.
Parsed parse_http(std::string_view in);

/// A Blynk frame (the shared codec) with a NUL-joined body built from `fields`, appended to out.
void append_frame(std::string& out, uint8_t command, uint16_t id,
                  std::initializer_list<std::string_view> fields,
                  proto::Layout layout = proto::Layout::Hardware);

/// Message ids run 1..65535 (0 is never sent to hardware).
inline uint16_t message_id(uint64_t seq) {
    return static_cast<uint16_t>(seq % 65535 + 1);
}

}  // namespace blynk::bench
