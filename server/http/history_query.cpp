#include "server/http/history_query.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "server/model/graph_period.hpp"

namespace blynk::http {
namespace {

using model::HistoryResolution;

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;

std::optional<int64_t> parse_integer(std::string_view text) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

/// The single value of query parameter `name`: nullopt when absent, "" marks it malformed
/// (given twice).
std::optional<std::string> single(const Target& target, std::string_view name) {
    auto values = query_values(target, name);
    if (values.empty()) return std::nullopt;
    return values.size() == 1 ? values.front() : std::string();
}

std::optional<HistoryResolution> resolution_named(std::string_view name) {
    if (name == "raw") return HistoryResolution::Raw;
    if (name == "minute") return HistoryResolution::Minute;
    if (name == "hour") return HistoryResolution::Hour;
    if (name == "day") return HistoryResolution::Day;
    return std::nullopt;
}

void append_integer(std::string& out, int64_t value) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
}

void append_double(std::string& out, double value) {
    if (!std::isfinite(value)) {  // JSON has no NaN or infinity
        out += "null";
        return;
    }
    char buf[32];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
}

}  // namespace

std::string_view resolution_name(HistoryResolution resolution) {
    switch (resolution) {
        case HistoryResolution::Minute:
            return "minute";
        case HistoryResolution::Hour:
            return "hour";
        case HistoryResolution::Day:
            return "day";
        case HistoryResolution::Raw:
            break;
    }
    return "raw";
}

HistoryResolution auto_resolution(int64_t span_ms) {
    if (span_ms <= kHour) return HistoryResolution::Raw;
    if (span_ms <= kDay) return HistoryResolution::Minute;
    if (span_ms <= 60 * kDay) return HistoryResolution::Hour;
    return HistoryResolution::Day;
}

std::variant<model::HistoryQuery, ApiResponse> parse_history_query(const Target& target,
                                                                   int64_t now_ms) {
    model::HistoryQuery query;
    auto from = single(target, "from");
    auto to = single(target, "to");
    std::optional<int64_t> to_ms = to ? parse_integer(*to) : std::optional(now_ms + 1);
    std::optional<int64_t> from_ms =
        from ? parse_integer(*from)
             : (to_ms ? std::optional(std::max(*to_ms, model::kAllTimeFromMs) - kDay)
                      : std::nullopt);
    if (!from_ms || !to_ms || *from_ms >= *to_ms) {
        return text_error(400, "Wrong range: 'from' and 'to' are epoch milliseconds, from < to.");
    }
    // Nothing is stored outside [0, 2^53): the storage never sees times near int64's limits.
    query.from_ms = std::clamp(*from_ms, model::kAllTimeFromMs, model::kAllTimeToMs);
    query.to_ms = std::clamp(*to_ms, model::kAllTimeFromMs, model::kAllTimeToMs);

    auto resolution = single(target, "resolution");
    if (!resolution || *resolution == "auto") {
        query.resolution = auto_resolution(query.to_ms - query.from_ms);
    } else if (auto named = resolution_named(*resolution)) {
        query.resolution = *named;
    } else {
        return text_error(400, "Wrong resolution: raw, minute, hour, day or auto.");
    }

    query.limit = kHistoryDefaultLimit;
    if (auto limit = single(target, "limit")) {
        auto value = parse_integer(*limit);
        if (!value || *value < 1 || *value > static_cast<int64_t>(kHistoryMaxLimit)) {
            return text_error(400, "Wrong limit: 1 to " + std::to_string(kHistoryMaxLimit) + ".");
        }
        query.limit = static_cast<size_t>(*value);
    }
    query.newest_first = true;
    return query;
}

std::string history_json(std::string_view pin, const model::HistoryQuery& query,
                         std::span<const model::HistoryPoint> points) {
    std::string out;
    out.reserve(96 + points.size() * 64);
    out += R"({"pin":")";
    out += pin;  // a parsed PinKey's str(): letters and digits only
    out += R"(","resolution":")";
    out += resolution_name(query.resolution);
    out += R"(","from":)";
    append_integer(out, query.from_ms);
    out += R"(,"to":)";
    append_integer(out, query.to_ms);
    out += R"(,"points":[)";
    for (size_t i = 0; i < points.size(); ++i) {
        const model::HistoryPoint& p = points[i];
        if (i) out += ',';
        out += '[';
        append_integer(out, p.time_ms);
        for (double v : {p.value, p.min, p.max}) {
            out += ',';
            append_double(out, v);
        }
        out += ',';
        append_integer(out, p.count);
        out += ']';
    }
    out += "]}";
    return out;
}

}  // namespace blynk::http
