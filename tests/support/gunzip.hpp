#pragma once
// gzip files read back in tests (the server only writes them).

#include <zlib.h>

#include <optional>
#include <string>
#include <string_view>

namespace blynk::test {

/// The bytes one gzip member inflates to; nullopt when `data` is not a complete gzip member.
inline std::optional<std::string> gunzip(std::string_view data) {
    z_stream s{};
    if (inflateInit2(&s, 15 + 16) != Z_OK) return std::nullopt;
    std::string out;
    char chunk[16384];
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    s.avail_in = static_cast<uInt>(data.size());
    int result = Z_OK;
    while (result == Z_OK) {
        s.next_out = reinterpret_cast<Bytef*>(chunk);
        s.avail_out = sizeof chunk;
        result = inflate(&s, Z_NO_FLUSH);
        out.append(chunk, sizeof chunk - s.avail_out);
    }
    inflateEnd(&s);
    if (result != Z_STREAM_END) return std::nullopt;
    return out;
}

}  // namespace blynk::test
