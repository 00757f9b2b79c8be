#include "common/util/password.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <stdexcept>
#include <vector>

#include "common/util/ascii.hpp"
#include "common/util/token.hpp"

namespace blynk::util {
namespace {

constexpr int kIterations = 200000;
constexpr size_t kHashBytes = 32;

std::string derive(std::string_view password, std::string_view salt, int iterations) {
    std::array<unsigned char, kHashBytes> out{};
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(),
                          static_cast<int>(out.size()), out.data()) != 1) {
        throw std::runtime_error("PBKDF2 failed");
    }
    return base64url(std::string_view(reinterpret_cast<const char*>(out.data()), out.size()));
}

}  // namespace

std::string hash_password(std::string_view password) {
    std::array<unsigned char, 16> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    }
    std::string salt_text =
        base64url(std::string_view(reinterpret_cast<const char*>(salt.data()), salt.size()));
    return "pbkdf2-sha256$" + std::to_string(kIterations) + "$" + salt_text + "$" +
           derive(password, salt_text, kIterations);
}

std::string app_password_hash(std::string_view email, std::string_view password) {
    const std::string lower = ascii_lower(email);
    unsigned char email_digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(lower.data()), lower.size(), email_digest);
    std::string salted(password);
    salted.append(reinterpret_cast<const char*>(email_digest), sizeof email_digest);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(salted.data()), salted.size(), digest);
    // EVP_EncodeBlock writes standard Base64 with padding and a terminating NUL.
    unsigned char encoded[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
    const int n = EVP_EncodeBlock(encoded, digest, SHA256_DIGEST_LENGTH);
    return std::string(reinterpret_cast<const char*>(encoded), static_cast<size_t>(n));
}

bool verify_password(std::string_view password, std::string_view encoded) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t pos; (pos = encoded.find('$', start)) != std::string_view::npos; start = pos + 1) {
        parts.push_back(encoded.substr(start, pos - start));
    }
    parts.push_back(encoded.substr(start));
    if (parts.size() != 4 || parts[0] != "pbkdf2-sha256") return false;
    int iterations = 0;
    try {
        iterations = std::stoi(std::string(parts[1]));
    } catch (const std::exception&) {
        return false;
    }
    if (iterations <= 0) return false;
    std::string expected = derive(password, parts[2], iterations);
    return expected.size() == parts[3].size() &&
           CRYPTO_memcmp(expected.data(), parts[3].data(), expected.size()) == 0;
}

}  // namespace blynk::util
