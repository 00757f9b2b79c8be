#pragma once
// Password hashing for stored users: PBKDF2-HMAC-SHA256 with a random salt, encoded as
// "pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>".

#include <string>
#include <string_view>

namespace blynk::util {

std::string hash_password(std::string_view password);
/// True when `password` matches a hash made by hash_password().
bool verify_password(std::string_view password, std::string_view encoded);

}  // namespace blynk::util
