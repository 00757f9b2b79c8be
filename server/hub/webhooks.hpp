#pragma once
// The Webhook widget: a write to its pin (from the device, an app or REST) calls its URL through
// the outbound worker, as the Java server's WebhookProcessor did. The answer of a successful call
// (200, 201, 202, 204, 302) with a body is written to the device on that pin with message id
// 888; failures are counted, and after webhooks.failure.count.limit in a row the widget is no
// longer called until it is changed or the server restarts.

#include <cstdint>
#include <string>
#include <string_view>

#include "server/hub/user_state.hpp"
#include "server/model/pin.hpp"

namespace blynk::hub::webhooks {

/// The message id of a webhook's answer written to the device (Java's).
inline constexpr uint16_t kAnswerId = 888;

/// Failures in a row before a webhook stops (0 = never); set once at start-up.
void set_failure_limit(uint32_t limit);

/// On the user's strand, after `value` was stored for `pin` of `device`.
void pin_written(UserState& user, DeviceRef device, model::PinKey pin, std::string_view value);

/// The Java placeholders in a URL or body, each replaced once (the first occurrence): `/pin/`
/// by the whole value, `/pin[i]/` by the i-th of its NUL-separated parts (i < 10, only when the
/// value has more than i parts), `%s` by the whole value, `/datetime_iso/` by `now_iso` and
/// `device_owner_email` by `owner`.
std::string fill_placeholders(std::string text, std::string_view value, std::string_view owner,
                              std::string_view now_iso);

}  // namespace blynk::hub::webhooks
