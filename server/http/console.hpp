#pragma once
// Serving the web console: its embedded files at `/` and `/assets/...` with ETags, gzip and
// strict security headers; on the plain port a redirect to the TLS port (the console's cookies
// never travel in clear) unless web.console.plain is set. Pure: a request's fields in, a response
// out; no sockets.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>

#include "server/http/api.hpp"
#include "server/http/static_files.hpp"

namespace blynk::http {

struct ConsoleRequest {
    std::string_view method;  ///< "GET", "HEAD", ...
    std::string_view target;  ///< path and query as received
    std::string_view host;    ///< the Host header
    std::string_view accept_encoding;
    std::string_view if_none_match;
    bool tls = false;  ///< arrived over TLS (https.port, or TLS on http.port)
};

struct ConsoleOptions {
    bool serve_plain = false;  ///< web.console.plain: serve over plain HTTP too (behind a proxy)
};

class Console {
public:
    Console(const StaticFiles& files, ConsoleOptions options);

    /// The ports as bound, before any request is served: the plain port redirects to
    /// `https_port`, and the page's `<meta name="blynk-hardware-port">` says `http_port` (the
    /// editor's sketches connect boards to it).
    void set_ports(uint16_t http_port, uint16_t https_port);

    /// The answer when `request` is for the console (`/`, a file of it, anything under
    /// `/assets/`); nullopt when it is for someone else (the REST API).
    std::optional<ApiResponse> serve(const ConsoleRequest& request) const;

private:
    ApiResponse redirect_to_tls(const ConsoleRequest& request, std::string_view target) const;

    const StaticFile* find(std::string_view path) const;

    const StaticFiles& files_;
    ConsoleOptions options_;
    std::atomic<uint16_t> https_port_{0};
    std::optional<StaticFile> index_;  ///< index.html with the ports written in (set_ports)
};

/// Whether an Accept-Encoding value accepts gzip (a "gzip" or "*" coding without q=0).
bool accepts_gzip(std::string_view accept_encoding);

/// Whether an If-None-Match value matches `etag` (strong or weak form, or "*").
bool etag_matches(std::string_view if_none_match, std::string_view etag);

/// The host part of a Host header ("example.com", "[::1]"), without the port; nullopt when it
/// holds anything but a host name or address (it becomes part of a Location header).
std::optional<std::string_view> host_without_port(std::string_view host);

}  // namespace blynk::http
