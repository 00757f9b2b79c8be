#pragma once
// Password hashing for stored users: PBKDF2-HMAC-SHA256 with a random salt, encoded as
// "pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>".

#include <string>
#include <string_view>

namespace blynk::util {

std::string hash_password(std::string_view password);

/// What a Blynk app sends as its password for an account:
/// Base64(SHA-256(password || SHA-256(lower(email)))), standard Base64 with padding (44
/// characters). The server stores hash_password() of this string, never the clear password.
std::string app_password_hash(std::string_view email, std::string_view password);
/// True when `password` matches a hash made by hash_password().
bool verify_password(std::string_view password, std::string_view encoded);

}  // namespace blynk::util
