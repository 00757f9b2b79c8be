#pragma once
// JSON text that crosses a trust boundary: parsing what an app or device sent without exceptions
// or unbounded recursion, and writing strings whose bytes may not be UTF-8 (pin values are
// arbitrary bytes). Shared by the widget, dashboard and device mappings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace blynk::model {

/// Deepest nesting of arrays and objects accepted from a client. Real profiles nest about ten
/// levels (dashboard → Device Tiles → templates → widgets → pins); nlohmann's serialiser and
/// comparisons recurse once per level, so a bound keeps a hostile "[[[[…" from exhausting the
/// stack.
inline constexpr int kMaxJsonDepth = 64;

/// Parses untrusted text. nullopt (never an exception) when the text is not JSON, a string in it
/// is not valid UTF-8, a number overflows, or arrays/objects nest deeper than kMaxJsonDepth.
std::optional<nlohmann::ordered_json> parse_json_text(std::string_view text);

/// Compact text of a value; invalid UTF-8 inside strings becomes U+FFFD instead of throwing.
std::string dump_json(const nlohmann::ordered_json& value);

/// The value as a signed 64-bit integer: nullopt when it is not a JSON integer or does not fit.
std::optional<int64_t> json_integer(const nlohmann::ordered_json& value);

/// Appends `text` as a JSON string literal: quoted, escaped the way nlohmann escapes (\" \\ \b
/// \f \n \r \t, other control characters as \u00xx), each byte that is not part of valid UTF-8
/// written as U+FFFD.
void append_json_string(std::string& out, std::string_view text);

/// Appends the decimal form of `value`.
void append_json_integer(std::string& out, int64_t value);

/// Appends the members of a JSON object text after one comma ("{\"a\":1,\"b\":2}" →
/// ",\"a\":1,\"b\":2"), for splicing a stored object into one being written after at least one
/// member. Appends nothing for an empty object or for text that is not braced. The text is trusted
/// to be valid JSON (as parse_dashboard and parse_device store it).
void append_object_members(std::string& out, std::string_view object_text);

}  // namespace blynk::model
