#include "server/net/detect.hpp"

#include <array>
#include <string_view>

namespace blynk::net {
namespace {

constexpr std::array<std::string_view, 9> kMethods = {
    "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "PATCH ", "OPTIONS ", "TRACE ", "CONNECT "};

bool is_upper(uint8_t c) {
    return c >= 'A' && c <= 'Z';
}

/// Http when `first` starts with a method, NeedMore while it may still become one, else Garbage.
Detected detect_http(std::span<const uint8_t> first) {
    bool possible = false;
    for (std::string_view m : kMethods) {
        size_t n = std::min(m.size(), first.size());
        if (std::string_view(reinterpret_cast<const char*>(first.data()), n) != m.substr(0, n)) {
            continue;
        }
        if (n == m.size()) return Detected::Http;
        possible = true;
    }
    return possible ? Detected::NeedMore : Detected::Garbage;
}

}  // namespace

Detected detect(std::span<const uint8_t> first, Layer layer) {
    if (first.empty()) return Detected::NeedMore;
    const uint8_t b0 = first[0];
    if (layer != Layer::InsideTls && b0 == 0x16) {
        if (first.size() < 2) return Detected::NeedMore;
        return first[1] == 0x03 ? Detected::Tls : Detected::Garbage;
    }
    if (is_upper(b0)) return detect_http(first);
    if (layer == Layer::TlsPort) return Detected::Garbage;  // plain binary on the TLS port
    if (b0 == 2) {
        if (first.size() < 5) return Detected::NeedMore;
        return (first[3] | first[4]) != 0 ? Detected::Hardware : Detected::App;
    }
    // An app's first frame is one of its pre-login commands (RESET_PASSWORD, 81, is an 'Q' and
    // taken for text above; it is not served); anything else is taken as hardware,
    // which closes it at once unless it is a login (an app session would first wait for the two
    // more header bytes of its longer length field).
    switch (b0) {
        case 1:   // REGISTER
        case 32:  // SHARE_LOGIN
        case 40:  // GET_SERVER
            return Detected::App;
        default:
            return Detected::Hardware;
    }
}

}  // namespace blynk::net
