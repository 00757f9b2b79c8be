#include "common/util/token.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace blynk::util {

namespace {

/// URL-safe Base64: every character a generated token can contain.
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

std::string base64url(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    size_t i = 0;
    auto byte = [&](size_t k) {
        return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k]));
    };
    for (; i + 3 <= bytes.size(); i += 3) {
        uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
        for (int shift = 18; shift >= 0; shift -= 6)
            out.push_back(kAlphabet[(v >> shift) & 63]);
    }
    size_t rest = bytes.size() - i;
    if (rest == 1) {
        uint32_t v = byte(i) << 16;
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
    } else if (rest == 2) {
        uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
        out.push_back(kAlphabet[(v >> 6) & 63]);
    }
    return out;
}

std::string generate_token() {
    std::array<unsigned char, 24> raw{};
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
        throw std::runtime_error("OpenSSL RAND_bytes failed: cannot generate a token");
    }
    return base64url(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::string redact_token(std::string_view token) {
    // Tokens come from the wire: anything outside the token alphabet shows as '?', so a bridge
    // or login with control bytes cannot write them into the log.
    std::string out(token.substr(0, 4));
    for (char& c : out)
        if (kAlphabet.find(c) == std::string_view::npos) c = '?';
    return out + "…(" + std::to_string(token.size()) + ")";
}

}  // namespace blynk::util
