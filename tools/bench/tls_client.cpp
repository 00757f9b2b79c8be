#include "tools/bench/tls_client.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdio>
#include <stdexcept>

namespace blynk::bench {

namespace {

struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

FilePtr open_for_write(const std::filesystem::path& p) {
    FilePtr f(std::fopen(p.c_str(), "wb"));
    if (!f) throw std::runtime_error("cannot write " + p.string());
    return f;
}

}  // namespace

std::string ssl_errors() {
    std::string out;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!out.empty()) out += "; ";
        out += buf;
    }
    return out;
}

SslCtxPtr make_client_context(bool release_buffers) {
    SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
    if (!ctx) throw std::runtime_error("SSL_CTX_new: " + ssl_errors());
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
    if (release_buffers) SSL_CTX_set_mode(ctx.get(), SSL_MODE_RELEASE_BUFFERS);
    // Sessions are kept by the storm itself (one per connection), not by OpenSSL's cache.
    SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
    return ctx;
}

void write_rsa_pair(const std::filesystem::path& cert, const std::filesystem::path& key) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(EVP_RSA_gen(2048), &EVP_PKEY_free);
    if (!pkey) throw std::runtime_error("RSA key generation: " + ssl_errors());
    std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), &X509_free);
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), 30L * 24 * 3600);
    X509_set_pubkey(x.get(), pkey.get());
    X509_NAME* name = X509_get_subject_name(x.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(x.get(), name);
    if (X509_sign(x.get(), pkey.get(), EVP_sha256()) == 0)
        throw std::runtime_error("X509_sign: " + ssl_errors());
    {
        FilePtr f = open_for_write(key);
        if (!PEM_write_PrivateKey(f.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr))
            throw std::runtime_error("writing " + key.string() + ": " + ssl_errors());
    }
    FilePtr f = open_for_write(cert);
    if (!PEM_write_X509(f.get(), x.get()))
        throw std::runtime_error("writing " + cert.string() + ": " + ssl_errors());
}

}  // namespace blynk::bench
