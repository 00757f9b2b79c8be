#include "common/util/time_zone.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>

namespace blynk::util {
namespace {

constexpr size_t kHeaderSize = 44;
/// Cached zones at most: names come from users' widgets.
constexpr size_t kMaxCachedZones = 1024;

uint64_t read_be(std::string_view bytes, size_t at, size_t width) {
    uint64_t value = 0;
    for (size_t i = 0; i < width; ++i)
        value = value << 8 | static_cast<uint8_t>(bytes[at + i]);
    return value;
}

struct Counts {
    uint64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
    /// Bytes of the data block that follows the header, with `time_size`-byte times.
    uint64_t data_size(size_t time_size) const {
        return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
               isstdcnt + isutcnt;
    }
};

std::optional<Counts> read_header(std::string_view tzif, size_t at) {
    if (tzif.size() < at + kHeaderSize || tzif.substr(at, 4) != "TZif") return std::nullopt;
    auto count = [&](size_t i) { return read_be(tzif, at + 20 + 4 * i, 4); };
    Counts c{count(0), count(1), count(2), count(3), count(4), count(5)};
    if (c.typecnt == 0) return std::nullopt;
    return c;
}

bool safe_zone_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
    char previous = '/';
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '+' || c == '/';
        if (!ok || (c == '/' && previous == '/')) return false;
        previous = c;
    }
    return true;
}

std::string read_zone_file(std::string_view name) {
    const char* dir = std::getenv("TZDIR");
    std::ifstream in(
        std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + std::string(name),
        std::ios::binary);
    if (!in) return {};
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace

std::optional<int32_t> tzif_utc_offset(std::string_view tzif, int64_t utc_seconds) {
    auto v1 = read_header(tzif, 0);
    if (!v1) return std::nullopt;
    size_t at = kHeaderSize;
    size_t time_size = 4;
    Counts counts = *v1;
    // Version 2 and later repeat the data with 64-bit times after the version 1 block.
    if (tzif[4] >= '2') {
        auto v2 = read_header(tzif, at + v1->data_size(4));
        if (!v2) return std::nullopt;
        at += v1->data_size(4) + kHeaderSize;
        time_size = 8;
        counts = *v2;
    }
    if (tzif.size() < at + counts.data_size(time_size)) return std::nullopt;
    const size_t types_at = at + counts.timecnt * time_size;
    const size_t infos_at = types_at + counts.timecnt;
    uint64_t type = 0;  // before the first transition: type 0
    for (uint64_t i = 0; i < counts.timecnt; ++i) {
        uint64_t raw = read_be(tzif, at + i * time_size, time_size);
        const int64_t when = time_size == 4 ? static_cast<int32_t>(raw) : static_cast<int64_t>(raw);
        if (when > utc_seconds) break;
        type = static_cast<uint8_t>(tzif[types_at + i]);
    }
    if (type >= counts.typecnt) return std::nullopt;
    return static_cast<int32_t>(read_be(tzif, infos_at + type * 6, 4));
}

std::optional<int32_t> utc_offset(std::string_view name, int64_t utc_seconds) {
    if (!safe_zone_name(name)) return std::nullopt;
    static std::mutex mutex;
    static std::map<std::string, std::string, std::less<>> files;  // "" = no such zone
    std::string bytes;
    {
        std::lock_guard lock(mutex);
        auto it = files.find(name);
        if (it != files.end()) {
            bytes = it->second;
        } else {
            bytes = read_zone_file(name);
            if (files.size() < kMaxCachedZones) files.emplace(std::string(name), bytes);
        }
    }
    if (bytes.empty()) return std::nullopt;
    return tzif_utc_offset(bytes, utc_seconds);
}

}  // namespace blynk::util
