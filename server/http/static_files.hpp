#pragma once
// The web console's files, ready to serve: each with its content type, a strong ETag and, for
// text, a gzip copy. Built once at start-up from the embedded files; read-only afterwards, so
// every I/O thread reads it without locks.

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "server/http/embedded_files.hpp"

namespace blynk::http {

struct StaticFile {
    std::string_view body;  ///< the embedded bytes, or `storage`
    std::string content_type;
    std::string etag;     ///< quoted, from a SHA-256 of the body
    std::string gzip;     ///< the body gzip-compressed; empty when it would not be smaller
    std::string storage;  ///< the bytes of a file rewritten at start-up (body views them)
};

/// `body` ready to serve as the file at `path` (its type, ETag and gzip copy); body views
/// `body`, which must outlive the result.
StaticFile prepare_static_file(std::string_view path, std::string_view body);

class StaticFiles {
public:
    explicit StaticFiles(std::span<const EmbeddedFile> files);

    /// The file at URL path `path` ("/index.html"), or nullptr.
    const StaticFile* find(std::string_view path) const;
    size_t size() const { return files_.size(); }
    /// The bytes sent to a browser that accepts gzip, over every file (what a first load costs).
    size_t compressed_bytes() const;

private:
    std::map<std::string, StaticFile, std::less<>> files_;
};

/// The Content-Type for a file name, by its extension (application/octet-stream if unknown).
std::string content_type_for(std::string_view path);

}  // namespace blynk::http
