#pragma once
// The files of the web console, compiled into the binary (cmake/embed_web.cmake generates the
// definition from web/public).

#include <span>
#include <string_view>

namespace blynk::http {

struct EmbeddedFile {
    std::string_view path;  ///< URL path: "/index.html", "/assets/js/main.js"
    std::string_view data;
};

/// Every file under web/public, sorted by path.
std::span<const EmbeddedFile> embedded_web_files();

}  // namespace blynk::http
