#pragma once
// UTC offsets of IANA time zones ("Europe/Berlin"), for answering a device's `rtc` in the time zone
// of its RTC widget. Read from the system's tz database (TZif files, RFC 8536), because the
// standard library here (GCC 12) has no std::chrono::tzdb.

#include <cstdint>
#include <optional>
#include <string_view>

namespace blynk::util {

/// The offset from UTC in seconds that a TZif file (RFC 8536, version 1 to 4) gives for
/// `utc_seconds`: the type of the last transition at or before it, type 0 before the first.
/// Times after the last transition keep its offset (the files Debian ships list transitions up
/// to 2037). nullopt when the bytes are not a well-formed TZif file. Pure.
std::optional<int32_t> tzif_utc_offset(std::string_view tzif, int64_t utc_seconds);

/// The UTC offset of zone `name` at `utc_seconds`, from $TZDIR or /usr/share/zoneinfo; files are
/// read once and cached. nullopt for names that are not zone names (only letters, digits, '_',
/// '-', '+' and '/' between non-empty parts) or zones the system does not have. Thread-safe.
std::optional<int32_t> utc_offset(std::string_view name, int64_t utc_seconds);

}  // namespace blynk::util
