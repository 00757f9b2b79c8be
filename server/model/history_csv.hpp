#pragma once
// The CSV export of one pin's history (REST `GET /{token}/data/{pin}`, the e-mailed export
// link): the Java server's format, one line per point "value,epochMs,deviceId\n", the value
// written as Java's Double.toString, the whole file gzip-compressed. Pure.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "server/model/history.hpp"
#include "server/model/pin.hpp"

namespace blynk::model {

/// The Java server's limit (csv.export.data.points.max): 30 days of minutes.
inline constexpr size_t kCsvMaxPoints = 30 * 24 * 60;

/// The CSV text of `points` (their average values), oldest first as given.
std::string history_csv(std::span<const HistoryPoint> points, int device_id);

/// The Java server's file name: "<email>_<dashId>_<deviceId>_<pin>_<nowMs>.csv.gz" (characters
/// of the e-mail other than letters, digits and . @ + - become '_').
std::string history_csv_file_name(std::string_view email, int dash_id, int device_id, PinKey pin,
                                  int64_t now_ms);

}  // namespace blynk::model
