#pragma once
// URL pieces: percent-decoding, path splitting and query parameters. Pure.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blynk::http {

/// Percent-decodes `s` ("%23FF" -> "#FF"); with `plus_is_space` (query strings) '+' is a space.
/// nullopt for a malformed escape ("%G1", a trailing "%").
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

struct Target {
    std::vector<std::string> segments;  ///< decoded path segments, empty ones dropped
    std::vector<std::pair<std::string, std::string>> query;  ///< decoded, in order
};

/// Splits a request target ("/tok/update/V1?value=1&value=2"); nullopt when malformed.
std::optional<Target> parse_target(std::string_view target);

/// Every value of query parameter `name`, in order.
std::vector<std::string> query_values(const Target& t, std::string_view name);

/// True for the hardware WebSocket paths: /websockets and /websocket (the Java server hung on
/// the second), with or without a trailing part.
bool is_hardware_websocket_path(std::string_view target);

/// True for the browser dashboards' app-protocol WebSocket: /dashws (a query may follow).
bool is_dashboard_websocket_path(std::string_view target);

/// The target for logs: every path segment and query part as long as a token (16 characters or
/// more) redacted with util::redact_token.
std::string redact_target(std::string_view target);

}  // namespace blynk::http
