#include "tests/support/http_client.hpp"

#include <algorithm>
#include <sstream>

namespace blynk::test {

std::string http_request(const std::string& method, const std::string& target,
                         const std::string& body, const std::string& content_type,
                         const std::string& extra_headers) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!content_type.empty()) req += "Content-Type: " + content_type + "\r\n";
    if (!body.empty() || method == "PUT" || method == "POST") {
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += extra_headers + "\r\n" + body;
    return req;
}

HttpResponse read_http_response(RawClient& client, bool head, std::chrono::milliseconds timeout) {
    HttpResponse r;
    std::string head_text = client.read_until("\r\n\r\n", timeout);
    if (head_text.size() < 12 || head_text.substr(head_text.size() - 4) != "\r\n\r\n") return r;
    std::istringstream lines(head_text);
    std::string line;
    std::getline(lines, line);
    r.status = std::stoi(line.substr(9, 3));
    while (std::getline(lines, line) && line != "\r") {
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (!value.empty() && value.back() == '\r') value.pop_back();
        r.headers[name] = value;
    }
    if (!head && r.headers.count("content-length")) {
        size_t n = std::stoul(r.headers["content-length"]);
        r.body = client.read_bytes(n, timeout);
        if (r.body.size() != n) r.status = 0;
    }
    return r;
}

HttpResponse http_call(uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body, const std::string& content_type) {
    RawClient c(port);
    c.send(http_request(method, target, body, content_type));
    return read_http_response(c, method == "HEAD");
}

}  // namespace blynk::test
