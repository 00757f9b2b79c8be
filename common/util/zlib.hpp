#pragma once
// zlib streams (RFC 1950: deflate with a 2-byte header and an Adler-32 trailer), the format of
// Java's DeflaterOutputStream, which the Blynk app inflates for LOAD_PROFILE_GZIPPED replies.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blynk::util {

/// Default: zlib's default level (what Java's default Deflater uses; the stream starts with
/// 0x78 0x9c). Fast: level 1, for large answers a reader inflates at once (chart data).
enum class Compression : uint8_t { Default, Fast };

/// `data` as one zlib stream. Throws std::bad_alloc when zlib runs out of memory. Each calling
/// thread keeps one deflate state (about 260 KiB) from its first call on.
std::string zlib_compress(std::string_view data, Compression compression = Compression::Default);

/// `data` as one gzip member (RFC 1952, what Java's GZIPOutputStream writes: the CSV exports)
/// at zlib's default level. Throws std::bad_alloc when zlib runs out of memory.
std::string gzip_compress(std::string_view data);

/// The bytes a single zlib stream inflates to; nullopt when `data` is not exactly one complete,
/// valid zlib stream (corrupt, truncated, needs a preset dictionary, or has trailing bytes) or
/// when it would inflate to more than `max_output` bytes (checked while inflating, so a small
/// stream cannot make this allocate more than about `max_output`).
std::optional<std::string> zlib_decompress(std::string_view data, size_t max_output);

}  // namespace blynk::util
