#include "tools/bench/workloads.hpp"

#include <algorithm>

#include "common/proto/command.hpp"
#include "tools/bench/messages.hpp"

namespace blynk::bench {

namespace {

constexpr size_t kHeader = 5;
constexpr size_t kMinValue = 16;

thread_local std::string stamp_buffer;

std::string_view stamp(uint64_t sent_ns, size_t size) {
    stamp_buffer.clear();
    append_stamp(stamp_buffer, sent_ns, size);
    return stamp_buffer;
}

}  // namespace

// "1\0vw\01\0" is 7 bytes of body before the value.
BridgeWorkload::BridgeWorkload(size_t frame_size)
    : value_size_(std::max(kMinValue, frame_size - std::min(frame_size, kHeader + 7))) {}

void BridgeWorkload::append_request(std::string& out, size_t, uint64_t seq, uint64_t sent_ns) {
    append_frame(out, proto::cmd::kBridge, message_id(seq),
                 {"1", "vw", "1", stamp(sent_ns, value_size_)});
}

Parsed BridgeWorkload::parse(std::string_view in, bool) const {
    return parse_blynk(in);
}

// "vw\0<pin>\0" is 5 to 7 bytes of body before the value; 7 is used so frames never grow.
WriteWorkload::WriteWorkload(size_t streams, size_t pins, size_t frame_size)
    : pins_(pins),
      value_size_(std::max(kMinValue, frame_size - std::min(frame_size, kHeader + 7))),
      last_(streams * pins) {
    for (size_t p = 0; p < pins; ++p)
        pin_names_.push_back(std::to_string(p));
    for (auto& v : last_)
        v.reserve(value_size_);
}

void WriteWorkload::append_request(std::string& out, size_t stream, uint64_t seq,
                                   uint64_t sent_ns) {
    const size_t pin = seq % pins_;
    const std::string_view value = stamp(sent_ns, value_size_);
    append_frame(out, proto::cmd::kHardware, message_id(seq), {"vw", pin_names_[pin], value});
    last_[stream * pins_ + pin].assign(value);
}

Parsed WriteWorkload::parse(std::string_view in, bool) const {
    return parse_blynk(in);
}

RestWorkload::RestWorkload(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

void RestWorkload::append_request(std::string& out, size_t stream, uint64_t, uint64_t sent_ns) {
    out += "GET /";
    out += tokens_[stream];
    out += "/update/V1?value=";
    out += stamp(sent_ns, kMinValue);
    out += " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

Parsed RestWorkload::parse(std::string_view in, bool http) const {
    return http ? parse_http(in) : parse_blynk(in);
}

}  // namespace blynk::bench
