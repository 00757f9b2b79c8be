#pragma once
// What passes for an e-mail address as an account name (the app, the CLI, the web console): one
// '@' with something on both sides, at most 255 bytes, and nothing that could break a log line,
// a header or a quoted string.

#include <string_view>

namespace blynk::util {

inline bool plausible_email(std::string_view email) {
    const auto at = email.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < email.size() && email.size() <= 255 &&
           email.find_first_of(" \t\r\n\"'<>\\") == std::string_view::npos;
}

}  // namespace blynk::util
