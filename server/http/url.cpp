#include "server/http/url.hpp"

#include "common/util/token.hpp"

namespace blynk::http {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::optional<Target> parse_target(std::string_view target) {
    if (target.empty() || target[0] != '/') return std::nullopt;
    Target t;
    std::string_view path = target, query;
    if (auto q = target.find('?'); q != std::string_view::npos) {
        path = target.substr(0, q);
        query = target.substr(q + 1);
    }
    if (auto f = query.find('#'); f != std::string_view::npos) query = query.substr(0, f);
    size_t start = 1;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        if (end > start) {
            auto seg = percent_decode(path.substr(start, end - start), false);
            if (!seg) return std::nullopt;
            t.segments.push_back(std::move(*seg));
        }
        start = end + 1;
    }
    start = 0;
    while (start < query.size()) {
        size_t end = query.find('&', start);
        if (end == std::string_view::npos) end = query.size();
        std::string_view pair = query.substr(start, end - start);
        if (!pair.empty()) {
            size_t eq = pair.find('=');
            auto key = percent_decode(pair.substr(0, eq), true);
            auto value = percent_decode(
                eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
            if (!key || !value) return std::nullopt;
            t.query.emplace_back(std::move(*key), std::move(*value));
        }
        start = end + 1;
    }
    return t;
}

std::vector<std::string> query_values(const Target& t, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [k, v] : t.query)
        if (k == name) out.push_back(v);
    return out;
}

bool is_hardware_websocket_path(std::string_view target) {
    for (std::string_view prefix :
         {std::string_view("/websockets"), std::string_view("/websocket")}) {
        if (target.substr(0, prefix.size()) != prefix) continue;
        std::string_view rest = target.substr(prefix.size());
        if (rest.empty() || rest[0] == '/' || rest[0] == '?') return true;
    }
    return false;
}

bool is_dashboard_websocket_path(std::string_view target) {
    constexpr std::string_view kPath = "/dashws";
    return target.substr(0, kPath.size()) == kPath &&
           (target.size() == kPath.size() || target[kPath.size()] == '?');
}

std::string redact_target(std::string_view target) {
    // A token is usually the first segment, but a mistyped URL ("//TOKEN/get/V1", which the API
    // serves, or "?token=...") puts it elsewhere: every part of a token's length is shortened.
    constexpr std::string_view kSeparators = "/?&=;";
    constexpr size_t kShortestSecret = 16;
    std::string out;
    for (size_t start = 0; start <= target.size();) {
        size_t end = target.find_first_of(kSeparators, start);
        if (end == std::string_view::npos) end = target.size();
        const std::string_view part = target.substr(start, end - start);
        out += part.size() >= kShortestSecret ? util::redact_token(part) : std::string(part);
        if (end < target.size()) out += target[end];
        start = end + 1;
    }
    return out;
}

}  // namespace blynk::http
