#include "server/net/certificate.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace blynk::net {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

[[noreturn]] void fail(const std::string& what) {
    char buf[256] = "unknown error";
    if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    throw std::runtime_error(what + ": " + buf);
}

void add_extension(X509* cert, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext) fail("cannot build certificate extension " + value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

void write_pem(const std::filesystem::path& path, mode_t mode, auto&& write) {
    const std::string tmp = path.string() + ".tmp";
    BioPtr bio(BIO_new_file(tmp.c_str(), "w"));
    if (!bio) fail("cannot create " + tmp);
    ::chmod(tmp.c_str(), mode);
    if (!write(bio.get())) fail("cannot write " + tmp);
    bio.reset();
    std::filesystem::rename(tmp, path);  // never leave a half-written file behind
}

}  // namespace

void generate_self_signed(const CertificateRequest& request, const std::filesystem::path& cert_file,
                          const std::filesystem::path& key_file) {
    PKeyPtr key(EVP_EC_gen("P-256"));
    if (!key) fail("cannot generate an ECDSA P-256 key");
    X509Ptr cert(X509_new());
    if (!cert) fail("X509_new");
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7F;  // positive
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * request.valid_days);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>("blynkd"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(request.common_name.c_str()),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);

    std::string san;
    for (const auto& dns : request.dns_names)
        san += (san.empty() ? "DNS:" : ",DNS:") + dns;
    for (const auto& ip : request.ip_addresses)
        san += (san.empty() ? "IP:" : ",IP:") + ip;
    if (!san.empty()) add_extension(cert.get(), NID_subject_alt_name, san);
    add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
    add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), NID_subject_key_identifier, "hash");
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) fail("cannot sign the certificate");

    std::filesystem::create_directories(key_file.parent_path());
    write_pem(key_file, 0600, [&](BIO* b) {
        return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    });
    // Public, but like everything in the data folder its user's alone (copy it out to share it).
    write_pem(cert_file, 0600, [&](BIO* b) { return PEM_write_bio_X509(b, cert.get()) == 1; });
}

std::string certificate_fingerprint(const std::filesystem::path& cert_file) {
    BioPtr bio(BIO_new_file(cert_file.c_str(), "r"));
    if (!bio) fail("cannot open " + cert_file.string());
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) fail("no PEM certificate in " + cert_file.string());
    return x509_fingerprint(cert.get());
}

std::string x509_fingerprint(const void* x509) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_digest(static_cast<const X509*>(x509), EVP_sha256(), md, &n) != 1) {
        fail("X509_digest");
    }
    std::string out;
    char hex[4];
    for (unsigned i = 0; i < n; ++i) {
        std::snprintf(hex, sizeof hex, i ? ":%02X" : "%02X", md[i]);
        out += hex;
    }
    return out;
}

CertificateRequest default_certificate_request(const std::string& server_host) {
    CertificateRequest r;
    auto add = [](std::vector<std::string>& v, const std::string& s) {
        if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
    };
    const bool host_is_ip = [&] {
        unsigned char buf[16];
        return inet_pton(AF_INET, server_host.c_str(), buf) == 1 ||
               inet_pton(AF_INET6, server_host.c_str(), buf) == 1;
    }();
    if (!server_host.empty()) add(host_is_ip ? r.ip_addresses : r.dns_names, server_host);
    add(r.dns_names, "localhost");
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) == 0) add(r.dns_names, host);
    add(r.ip_addresses, "127.0.0.1");
    add(r.ip_addresses, "::1");
    ifaddrs* ifs = nullptr;
    if (getifaddrs(&ifs) == 0) {
        for (ifaddrs* i = ifs; i; i = i->ifa_next) {
            if (!i->ifa_addr) continue;
            char text[INET6_ADDRSTRLEN] = {};
            if (i->ifa_addr->sa_family == AF_INET) {
                inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, text,
                          sizeof text);
            } else if (i->ifa_addr->sa_family == AF_INET6) {
                auto* a6 = reinterpret_cast<sockaddr_in6*>(i->ifa_addr);
                if (IN6_IS_ADDR_LINKLOCAL(&a6->sin6_addr)) continue;  // needs a zone id
                inet_ntop(AF_INET6, &a6->sin6_addr, text, sizeof text);
            } else {
                continue;
            }
            add(r.ip_addresses, text);
        }
        freeifaddrs(ifs);
    }
    r.common_name = !server_host.empty()     ? server_host
                    : r.dns_names.size() > 1 ? r.dns_names[1]
                                             : "localhost";
    return r;
}

}  // namespace blynk::net
