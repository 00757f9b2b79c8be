#pragma once
// Minimal HTTP/1.1 over RawClient for integration tests (plain or TLS): exact status, headers
// and bodies, keep-alive and pipelining under the test's control.

#include <map>
#include <string>

#include "tests/support/raw_client.hpp"

namespace blynk::test {

struct HttpResponse {
    int status = 0;                              ///< 0 = no (complete) response
    std::map<std::string, std::string> headers;  ///< lower-case names
    std::string body;
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// The bytes of one request; Content-Length is added for a body.
std::string http_request(const std::string& method, const std::string& target,
                         const std::string& body = "", const std::string& content_type = "",
                         const std::string& extra_headers = "");

/// Reads one response (no body for HEAD).
HttpResponse read_http_response(RawClient& client, bool head = false,
                                std::chrono::milliseconds timeout = 3s);

/// One request on its own connection to 127.0.0.1:port.
HttpResponse http_call(uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body = "", const std::string& content_type = "");

}  // namespace blynk::test
