#include "common/proto/ncp_framing.hpp"

#include "common/proto/ncp_crc.hpp"

namespace blynk::proto::ncp {
namespace {

constexpr uint8_t kXon = 0x11;
constexpr uint8_t kXoff = 0x13;

bool needs_escape(uint8_t byte) {
    return byte == kXon || byte == kXoff || byte == kFrameStart || byte == kFrameEnd ||
           byte == kEscape;
}

void append_escaped(std::string& out, uint8_t byte) {
    if (needs_escape(byte)) {
        out.push_back(static_cast<char>(kEscape));
        byte ^= kEscapeXor;
    }
    out.push_back(static_cast<char>(byte));
}

}  // namespace

bool encode_frame(std::string& out, std::string_view payload, size_t max_payload) {
    if (payload.empty() || payload.size() > max_payload) return false;
    // Start, end and CRC, plus room for a few escapes.
    out.reserve(out.size() + payload.size() + payload.size() / 8 + 4);
    out.push_back(static_cast<char>(kFrameStart));
    for (char c : payload)
        append_escaped(out, static_cast<uint8_t>(c));
    append_escaped(out, crc8(payload));
    out.push_back(static_cast<char>(kFrameEnd));
    return true;
}

Deframer::Deframer(size_t max_payload) : max_payload_(max_payload) {
    frame_.reserve(max_payload_ + 1);
}

std::optional<std::string_view> Deframer::next(std::span<const uint8_t>& in) {
    while (!in.empty()) {
        const uint8_t byte = in.front();
        in = in.subspan(1);
        // The MCU driver stores a raw AA inside a frame as data; we restart on it. Every sender
        // escapes AA unconditionally (only XON/XOFF depend on a flag), so a raw AA inside a frame
        // means that frame was cut short (the MCU reset mid-frame, bytes were lost) and a new one
        // begins. Stored as data it would fail the CRC and take the new frame down with it; a
        // restart loses only the broken frame.
        if (byte == kFrameStart) {
            if (state_ == State::Inside || state_ == State::Escaped) ++counters_.restarted;
            start_frame();
            continue;
        }
        switch (state_) {
            case State::Outside:
                ++counters_.junk_bytes;
                break;
            case State::Inside:
                if (byte == kFrameEnd) {
                    if (auto payload = end_frame()) return payload;
                } else if (byte == kEscape) {
                    state_ = State::Escaped;
                } else {
                    append(byte);  // raw 11/13 included: Arduino MCUs send them unescaped
                }
                break;
            case State::Escaped:
                if (byte == kFrameEnd) {
                    ++counters_.bad_escape;
                    state_ = State::Outside;
                } else {
                    state_ = State::Inside;
                    append(static_cast<uint8_t>(byte ^ kEscapeXor));
                }
                break;
            case State::Discarding:
                if (byte == kFrameEnd) state_ = State::Outside;
                break;
        }
    }
    return std::nullopt;
}

void Deframer::start_frame() {
    frame_.clear();
    state_ = State::Inside;
}

void Deframer::append(uint8_t byte) {
    if (frame_.size() > max_payload_) {  // already the payload's maximum and its CRC
        ++counters_.oversized;
        frame_.clear();
        state_ = State::Discarding;
        return;
    }
    frame_.push_back(static_cast<char>(byte));
}

std::optional<std::string_view> Deframer::end_frame() {
    state_ = State::Outside;
    if (frame_.size() < 2) {
        ++counters_.empty;
        return std::nullopt;
    }
    const std::string_view payload(frame_.data(), frame_.size() - 1);
    if (crc8(payload) != static_cast<uint8_t>(frame_.back())) {
        ++counters_.bad_crc;
        return std::nullopt;
    }
    ++counters_.payloads;
    return payload;
}

}  // namespace blynk::proto::ncp
