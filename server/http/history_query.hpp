#pragma once
// The parameters and the answer of `GET /{token}/history/{pin}` (history_api.hpp): the range,
// resolution and limit a request asks for, and the JSON written back. Pure.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "server/http/api_request.hpp"
#include "server/model/history.hpp"

namespace blynk::http {

inline constexpr size_t kHistoryDefaultLimit = 10'000;
inline constexpr size_t kHistoryMaxLimit = 100'000;

/// `resolution=auto` (the default): the finest resolution that gives at most about 1500 points
/// over a span (raw up to 1 hour, minutes up to 1 day, hours up to 60 days, then days).
model::HistoryResolution auto_resolution(int64_t span_ms);

/// The query a /history request's parameters ask for (`to` defaults to now + 1 ms, `from` to 24
/// hours before `to`), or the 400 answer for a malformed one.
std::variant<model::HistoryQuery, ApiResponse> parse_history_query(const Target& target,
                                                                   int64_t now_ms);

/// The JSON answer: {"pin","resolution","from","to","points":[[timeMs,avg,min,max,count],...]}.
std::string history_json(std::string_view pin, const model::HistoryQuery& query,
                         std::span<const model::HistoryPoint> points);

std::string_view resolution_name(model::HistoryResolution resolution);

}  // namespace blynk::http
