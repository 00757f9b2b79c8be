#pragma once
// Device tokens: 24 random bytes in URL-safe Base64 (32 characters), as the Java server issued.

#include <string>
#include <string_view>

namespace blynk::util {

/// A new random token from OpenSSL's CSPRNG.
std::string generate_token();
/// URL-safe Base64 without padding.
std::string base64url(std::string_view bytes);
/// A token shortened for logs: first 4 characters and the length, e.g. "AbCd…(32)"; characters
/// outside the token alphabet show as '?'.
std::string redact_token(std::string_view token);

}  // namespace blynk::util
