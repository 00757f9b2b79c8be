#include "server/http/static_files.hpp"

#include <openssl/sha.h>
#include <zlib.h>

#include <array>
#include <new>

#include <fmt/format.h>

namespace blynk::http {
namespace {

struct TypeByExtension {
    std::string_view extension;
    std::string_view type;
    bool text;  ///< worth compressing
};

constexpr std::array<TypeByExtension, 11> kTypes{{
    {".html", "text/html; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".svg", "image/svg+xml", true},
    {".json", "application/json", true},
    {".webmanifest", "application/manifest+json", true},
    {".txt", "text/plain; charset=utf-8", true},
    {".png", "image/png", false},
    {".jpg", "image/jpeg", false},
    {".ico", "image/x-icon", true},
    {".woff2", "font/woff2", false},
}};

const TypeByExtension* type_of(std::string_view path) {
    for (const auto& t : kTypes)
        if (path.ends_with(t.extension)) return &t;
    return nullptr;
}

std::string etag_of(std::string_view body) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data());
    std::string tag = "\"";
    for (size_t i = 0; i < 12; ++i)
        tag += fmt::format("{:02x}", digest[i]);
    tag += '"';
    return tag;
}

/// gzip (RFC 1952) at the best level: done once per file at start-up, so the time is no matter.
std::string gzip(std::string_view data) {
    z_stream stream{};
    // 15 + 16: the largest window, with a gzip header and trailer instead of zlib's.
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        throw std::bad_alloc();
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));  // zlib API
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    // deflateBound leaves room for everything: one call finishes the stream.
    const int result = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (result != Z_STREAM_END) throw std::runtime_error("gzip of an embedded file failed");
    return out;
}

}  // namespace

std::string content_type_for(std::string_view path) {
    const TypeByExtension* t = type_of(path);
    return std::string(t ? t->type : "application/octet-stream");
}

StaticFile prepare_static_file(std::string_view path, std::string_view body) {
    StaticFile file;
    file.body = body;
    file.content_type = content_type_for(path);
    file.etag = etag_of(body);
    const TypeByExtension* t = type_of(path);
    if (t && t->text) {
        std::string compressed = gzip(body);
        if (compressed.size() < body.size()) file.gzip = std::move(compressed);
    }
    return file;
}

StaticFiles::StaticFiles(std::span<const EmbeddedFile> files) {
    for (const EmbeddedFile& f : files)
        files_.emplace(std::string(f.path), prepare_static_file(f.path, f.data));
}

const StaticFile* StaticFiles::find(std::string_view path) const {
    auto it = files_.find(path);
    return it == files_.end() ? nullptr : &it->second;
}

size_t StaticFiles::compressed_bytes() const {
    size_t total = 0;
    for (const auto& [path, file] : files_)
        total += file.gzip.empty() ? file.body.size() : file.gzip.size();
    return total;
}

}  // namespace blynk::http
