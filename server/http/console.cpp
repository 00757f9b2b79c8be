#include "server/http/console.hpp"

#include <cctype>
#include <string>

#include "common/util/ascii.hpp"

namespace blynk::http {
namespace {

// No inline script or style, nothing from another origin, never framed. 'self' covers the
// same-origin wss:// of /dashws.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

/// Headers on every console answer. No Strict-Transport-Security: most servers run with the
/// generated self-signed certificate, and HSTS would forbid the browser's way past its warning.
void add_security_headers(ApiResponse& r) {
    r.any_origin = false;
    r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
    r.headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
}

ApiResponse plain_answer(unsigned status, std::string text) {
    ApiResponse r{status, "text/plain; charset=utf-8", std::move(text)};
    add_security_headers(r);
    return r;
}

bool host_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
    while (!accept_encoding.empty()) {
        const size_t comma = accept_encoding.find(',');
        std::string_view item = util::trim_blanks(accept_encoding.substr(0, comma));
        accept_encoding = comma == std::string_view::npos ? std::string_view()
                                                          : accept_encoding.substr(comma + 1);
        const size_t semi = item.find(';');
        const std::string_view coding = util::trim_blanks(item.substr(0, semi));
        if (coding != "gzip" && coding != "*") continue;
        if (semi == std::string_view::npos) return true;
        std::string_view param = util::trim_blanks(item.substr(semi + 1));
        if (!param.starts_with("q=")) return true;
        param.remove_prefix(2);
        // q=0, q=0.0, q=0.000: refused; any other weight accepts.
        return param.find_first_not_of("0.") != std::string_view::npos;
    }
    return false;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    while (!if_none_match.empty()) {
        const size_t comma = if_none_match.find(',');
        std::string_view tag = util::trim_blanks(if_none_match.substr(0, comma));
        if_none_match =
            comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == "*" || tag == etag) return true;
    }
    return false;
}

std::optional<std::string_view> host_without_port(std::string_view host) {
    std::string_view name = host;
    std::string_view port;
    if (host.starts_with('[')) {  // an IPv6 literal
        const size_t close = host.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        name = host.substr(0, close + 1);
        const std::string_view inner = host.substr(1, close - 1);
        if (inner.empty() ||
            inner.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos) {
            return std::nullopt;
        }
        port = host.substr(close + 1);
    } else {
        const size_t colon = host.find(':');
        name = host.substr(0, colon);
        if (name.empty()) return std::nullopt;
        for (char c : name)
            if (!host_char(c)) return std::nullopt;
        if (colon != std::string_view::npos) port = host.substr(colon);
    }
    if (!port.empty() && (port.size() < 2 || port.front() != ':' ||
                          port.find_first_not_of("0123456789", 1) != std::string_view::npos)) {
        return std::nullopt;
    }
    return name;
}

/// What web/public/index.html holds where the plain port goes.
constexpr std::string_view kHardwarePortMark = "@HARDWARE_PORT@";

Console::Console(const StaticFiles& files, ConsoleOptions options)
    : files_(files), options_(options) {}

void Console::set_ports(uint16_t http_port, uint16_t https_port) {
    https_port_.store(https_port, std::memory_order_relaxed);
    const StaticFile* index = files_.find("/index.html");
    if (!index) return;
    std::string text(index->body);
    const size_t mark = text.find(kHardwarePortMark);
    if (mark == std::string::npos) return;
    text.replace(mark, kHardwarePortMark.size(), std::to_string(http_port));
    index_ = prepare_static_file("/index.html", text);
    index_->storage = std::move(text);
    index_->body = index_->storage;
}

const StaticFile* Console::find(std::string_view path) const {
    if (path == "/index.html" && index_) return &*index_;
    return files_.find(path);
}

std::optional<ApiResponse> Console::serve(const ConsoleRequest& request) const {
    std::string_view path = request.target.substr(0, request.target.find('?'));
    if (path == "/") path = "/index.html";
    const StaticFile* file = find(path);
    if (!file && !path.starts_with("/assets/")) return std::nullopt;  // the REST API's

    if (request.method != "GET" && request.method != "HEAD") {
        ApiResponse r = plain_answer(405, "Method not allowed.\n");
        r.headers.emplace_back("Allow", "GET, HEAD");
        return r;
    }
    if (!request.tls && !options_.serve_plain) return redirect_to_tls(request, request.target);
    if (!file) return plain_answer(404, "Not found.\n");

    ApiResponse r;
    add_security_headers(r);
    r.headers.emplace_back("ETag", file->etag);
    // Revalidated on every load (a 304 when unchanged): a new binary's console shows at once.
    r.headers.emplace_back("Cache-Control", "no-cache");
    r.headers.emplace_back("Vary", "Accept-Encoding");
    if (etag_matches(request.if_none_match, file->etag)) {
        r.status = 304;
        return r;
    }
    r.content_type = file->content_type;
    if (!file->gzip.empty() && accepts_gzip(request.accept_encoding)) {
        r.headers.emplace_back("Content-Encoding", "gzip");
        r.body = file->gzip;
    } else {
        r.body = file->body;
    }
    return r;
}

ApiResponse Console::redirect_to_tls(const ConsoleRequest& request, std::string_view target) const {
    auto host = host_without_port(request.host);
    if (!host) return plain_answer(400, "Missing or invalid Host header.\n");
    const uint16_t port = https_port_.load(std::memory_order_relaxed);
    std::string location = "https://" + std::string(*host);
    if (port != 443) location += ":" + std::to_string(port);
    location += target;
    // Temporary: a later web.console.plain=true must not meet a redirect cached for good.
    ApiResponse r = plain_answer(307, "The console is served over TLS: " + location + "\n");
    r.headers.emplace_back("Location", std::move(location));
    return r;
}

}  // namespace blynk::http
