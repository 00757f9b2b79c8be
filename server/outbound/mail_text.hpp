#pragma once
// A mail as SMTP carries it (RFC 5322 and MIME): headers, then the body in base64 so that any
// text (long lines, lines starting with a dot, UTF-8) arrives unchanged.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/hub/outbound.hpp"

namespace blynk::outbound {

/// The addresses of a `to` field ("a@x.org" or "a@x.org, b@y.org", as JavaMail's
/// InternetAddress.parse took them); nullopt when one is not a plausible address or there is none.
std::optional<std::vector<std::string>> parse_recipients(std::string_view to);

/// The whole message. `from` is the sender's address, `time_s` the Date header's epoch seconds.
std::string mail_text(const hub::MailMessage& mail, std::string_view from, int64_t time_s);

}  // namespace blynk::outbound
