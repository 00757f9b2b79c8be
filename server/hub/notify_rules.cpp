#include "server/hub/notify_rules.hpp"

#include "common/util/ascii.hpp"

namespace blynk::hub {
namespace {

/// The length of the valid UTF-8 sequence starting at text[i], or 0 when there is none.
size_t sequence_length(std::string_view text, size_t i) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    size_t length = 0;
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    if (lead >= 0xE0 && lead <= 0xEF) length = 3;
    if (lead >= 0xF0 && lead <= 0xF4) length = 4;
    if (length == 0 || i + length > text.size()) return 0;
    for (size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not valid UTF-8.
    const unsigned char second = byte(i + 1);
    if (lead == 0xE0 && second < 0xA0) return 0;
    if (lead == 0xED && second > 0x9F) return 0;
    if (lead == 0xF0 && second < 0x90) return 0;
    if (lead == 0xF4 && second > 0x8F) return 0;
    return length;
}

}  // namespace

size_t java_length(std::string_view text) {
    size_t units = 0;
    for (size_t i = 0; i < text.size();) {
        const size_t length = sequence_length(text, i);
        if (length == 0) {
            ++units;  // U+FFFD
            ++i;
            continue;
        }
        units += length == 4 ? 2 : 1;  // a surrogate pair above U+FFFF
        i += length;
    }
    return units;
}

bool notify_body_ok(std::string_view text) {
    return !text.empty() && java_length(text) <= kMaxNotifyLength;
}

std::string with_device_name(std::string_view text, std::string_view device_name) {
    std::string out(text);
    util::replace_all(out, "{DEVICE_NAME}", device_name);
    return out;
}

bool NotifyLimiter::try_take(DeviceRef device, Clock::time_point now, Clock::duration interval) {
    auto [it, first] = last_sent_.try_emplace(device, now);
    if (first) return true;
    if (now - it->second < interval) return false;
    it->second = now;
    return true;
}

}  // namespace blynk::hub
