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

// "vw\01\0" is 5 bytes of body before the value, after the prefix and its NUL.
RelayWorkload::RelayWorkload(uint8_t command, proto::Layout layout, std::string prefix,
                             size_t frame_size)
    : command_(command), layout_(layout), prefix_(std::move(prefix)) {
    const size_t before =
        proto::header_size(layout) + (prefix_.empty() ? 0 : prefix_.size() + 1) + 5;
    value_size_ = std::max(kMinValue, frame_size - std::min(frame_size, before));
}

void RelayWorkload::append_request(std::string& out, size_t, uint64_t seq, uint64_t sent_ns) {
    const std::string_view value = stamp(sent_ns, value_size_);
    if (prefix_.empty()) {
        append_frame(out, command_, message_id(seq), {"vw", "1", value}, layout_);
    } else {
        append_frame(out, command_, message_id(seq), {prefix_, "vw", "1", value}, layout_);
    }
}

BridgeWorkload::BridgeWorkload(size_t frame_size)
    : RelayWorkload(proto::cmd::kBridge, proto::Layout::Hardware, "1", frame_size) {}

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

RestWorkload::RestWorkload(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

void RestWorkload::append_request(std::string& out, size_t stream, uint64_t, uint64_t sent_ns) {
    out += "GET /";
    out += tokens_[stream];
    out += "/update/V1?value=";
    out += stamp(sent_ns, kMinValue);
    out += " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

}  // namespace blynk::bench
