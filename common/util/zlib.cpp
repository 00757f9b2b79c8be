#include "common/util/zlib.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>
#include <new>
#include <stdexcept>

namespace blynk::util {
namespace {

// zlib counts in uInt (32 bits); larger inputs are fed in pieces of this size.
constexpr size_t kMaxPiece = std::numeric_limits<uInt>::max();

// Ends the z_stream on every path out of the function.
struct InflateGuard {
    z_stream* stream;
    ~InflateGuard() { inflateEnd(stream); }
};

// One deflate state per thread, reset for each stream instead of allocated: deflateInit takes
// about 260 KiB in five blocks (window, hash chains, pending buffer), which malloc handed back to
// the kernel after each answer, so that every LOAD_PROFILE_GZIPPED faulted them in (and zeroed
// the hash table) again: ~20 page faults and two brk per request.
class ThreadDeflater {
public:
    ThreadDeflater() = default;
    ThreadDeflater(const ThreadDeflater&) = delete;
    ThreadDeflater& operator=(const ThreadDeflater&) = delete;
    ~ThreadDeflater() {
        if (ready_) deflateEnd(&stream_);
    }

    /// The thread's stream, ready for a new zlib stream at `level`.
    z_stream& start(int level) {
        if (!ready_ || deflateReset(&stream_) != Z_OK) {
            if (ready_) deflateEnd(&stream_);
            ready_ = false;
            stream_ = z_stream{};
            if (deflateInit(&stream_, level) != Z_OK) throw std::bad_alloc();
            ready_ = true;
            level_ = level;
        }
        // Before any input, a new level costs nothing.
        if (level_ != level && deflateParams(&stream_, level, Z_DEFAULT_STRATEGY) == Z_OK) {
            level_ = level;
        }
        return stream_;
    }

private:
    z_stream stream_{};
    bool ready_ = false;
    int level_ = Z_DEFAULT_COMPRESSION;
};

/// Runs `stream` (initialised for deflate) over all of `data` to the end of the stream.
std::string deflate_all(z_stream& stream, std::string_view data) {
    std::string out;
    // One allocation in the common case: the bound covers incompressible input.
    out.resize(deflateBound(&stream, static_cast<uLong>(data.size())));
    size_t produced = 0;
    size_t consumed = 0;
    int result = Z_OK;
    while (result != Z_STREAM_END) {
        const size_t piece = std::min(data.size() - consumed, kMaxPiece);
        stream.next_in =
            reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));  // zlib API
        stream.avail_in = static_cast<uInt>(piece);
        if (produced == out.size()) out.resize(out.size() * 2 + 64);
        const size_t room = std::min(out.size() - produced, kMaxPiece);
        stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
        stream.avail_out = static_cast<uInt>(room);
        const bool last_piece = consumed + piece == data.size();
        result = deflate(&stream, last_piece ? Z_FINISH : Z_NO_FLUSH);
        if (result == Z_STREAM_ERROR) throw std::logic_error("zlib deflate: inconsistent stream");
        consumed += piece - stream.avail_in;
        produced += room - stream.avail_out;
    }
    out.resize(produced);
    return out;
}

}  // namespace

std::string zlib_compress(std::string_view data, Compression compression) {
    thread_local ThreadDeflater deflater;
    const int level = compression == Compression::Fast ? Z_BEST_SPEED : Z_DEFAULT_COMPRESSION;
    return deflate_all(deflater.start(level), data);
}

std::string gzip_compress(std::string_view data) {
    z_stream stream{};
    // windowBits 15 + 16: a gzip header and CRC-32 trailer instead of zlib's.
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        throw std::bad_alloc();
    }
    struct DeflateGuard {
        z_stream* stream;
        ~DeflateGuard() { deflateEnd(stream); }
    } guard{&stream};
    return deflate_all(stream, data);
}

std::optional<std::string> zlib_decompress(std::string_view data, size_t max_output) {
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK) throw std::bad_alloc();
    InflateGuard guard{&stream};

    std::string out;
    std::array<unsigned char, 16384> chunk;
    size_t consumed = 0;
    while (true) {
        const size_t piece = std::min(data.size() - consumed, kMaxPiece);
        stream.next_in =
            reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));  // zlib API
        stream.avail_in = static_cast<uInt>(piece);
        stream.next_out = chunk.data();
        stream.avail_out = static_cast<uInt>(chunk.size());
        const int result = inflate(&stream, Z_NO_FLUSH);
        consumed += piece - stream.avail_in;
        const size_t produced = chunk.size() - stream.avail_out;
        if (produced > max_output - out.size()) return std::nullopt;
        out.append(reinterpret_cast<const char*>(chunk.data()), produced);
        if (result == Z_STREAM_END) {
            // A second stream or garbage after the trailer is not "one zlib stream".
            if (consumed != data.size()) return std::nullopt;
            return out;
        }
        // With a whole free chunk, Z_BUF_ERROR (no progress possible) means the input ended
        // before the stream did; the other codes are corrupt data, a preset dictionary, memory.
        if (result != Z_OK) return std::nullopt;
    }
}

}  // namespace blynk::util
