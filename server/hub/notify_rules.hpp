#pragma once
// The rules a notification passes before it is delivered, as the Java server applied them: a
// body of 1 to 255 characters (Java counts UTF-16 code units), the {DEVICE_NAME} placeholder,
// and at most one notification per device every `interval`. Pure: times are given by the caller.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/hub/device_ref.hpp"

namespace blynk::hub {

/// Java's Notification.MAX_PUSH_BODY_SIZE.
inline constexpr size_t kMaxNotifyLength = 255;

/// The length Java's String.length() gives for UTF-8 `text`: one unit per code point below
/// U+10000, two above; a byte that is not part of a valid sequence counts one (Java decodes it
/// to U+FFFD).
size_t java_length(std::string_view text);

/// Not empty and at most kMaxNotifyLength Java characters.
bool notify_body_ok(std::string_view text);

/// `text` with every "{DEVICE_NAME}" replaced by `device_name`.
std::string with_device_name(std::string_view text, std::string_view device_name);

/// When each device of one user last notified. A notification is let through when none was in
/// the last `interval` (zero: always); a refused one does not move the window, as in Java.
class NotifyLimiter {
public:
    using Clock = std::chrono::steady_clock;

    /// True (and the time noted) when `device` may notify at `now`.
    bool try_take(DeviceRef device, Clock::time_point now, Clock::duration interval);
    /// Forgets a device (deleted).
    void forget(DeviceRef device) { last_sent_.erase(device); }

private:
    std::unordered_map<DeviceRef, Clock::time_point> last_sent_;
};

}  // namespace blynk::hub
