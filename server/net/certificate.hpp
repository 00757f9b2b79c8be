#pragma once
// Certificates: a self-signed ECDSA P-256 certificate for first start, and SHA-256 fingerprints.

#include <filesystem>
#include <string>
#include <vector>

namespace blynk::net {

struct CertificateRequest {
    std::string common_name;                ///< also the first DNS name
    std::vector<std::string> dns_names;     ///< subjectAltName DNS entries
    std::vector<std::string> ip_addresses;  ///< subjectAltName IP entries
    int valid_days = 3650;
};

/// Writes a new key (PEM, mode 0600) and a self-signed certificate (PEM) for it.
/// Throws std::runtime_error with OpenSSL's reason on failure.
void generate_self_signed(const CertificateRequest& request, const std::filesystem::path& cert_file,
                          const std::filesystem::path& key_file);

/// "AB:CD:..." SHA-256 of the first certificate in a PEM file; throws when unreadable.
std::string certificate_fingerprint(const std::filesystem::path& cert_file);
/// "AB:CD:..." SHA-256 of a certificate (an X509*; void* keeps OpenSSL out of this header).
std::string x509_fingerprint(const void* x509);

/// The names a generated certificate should carry: server.host (if set), localhost, this
/// machine's host name, loopback and the machine's interface addresses.
CertificateRequest default_certificate_request(const std::string& server_host);

}  // namespace blynk::net
