#include "server/model/history_csv.hpp"

#include <charconv>

#include "common/util/java_double.hpp"

namespace blynk::model {
namespace {

void append_integer(std::string& out, int64_t value) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
}

}  // namespace

std::string history_csv(std::span<const HistoryPoint> points, int device_id) {
    std::string out;
    out.reserve(points.size() * 32);
    for (const HistoryPoint& point : points) {
        out += util::java_double(point.value);
        out += ',';
        append_integer(out, point.time_ms);
        out += ',';
        append_integer(out, device_id);
        out += '\n';
    }
    return out;
}

std::string history_csv_file_name(std::string_view email, int dash_id, int device_id, PinKey pin,
                                  int64_t now_ms) {
    // The name goes into a Content-Disposition header: only characters safe there.
    std::string out;
    for (char c : email) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '@' || c == '+' || c == '-';
        out += safe ? c : '_';
    }
    for (int64_t part : {int64_t{dash_id}, int64_t{device_id}}) {
        out += '_';
        append_integer(out, part);
    }
    out += '_';
    out += pin.str();
    out += '_';
    append_integer(out, now_ms);
    return out + ".csv.gz";
}

}  // namespace blynk::model
