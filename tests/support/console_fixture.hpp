#pragma once
// A started blynkd (AppTest's user and device) with helpers for the web console's HTTP API over
// TLS: sign-in, cookies, JSON bodies.

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "common/util/password.hpp"
#include "tests/support/app_fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/ws_client.hpp"

namespace blynk::test {

class ConsoleApiTest : public AppTest {
protected:
    /// One request over TLS to the console API; `headers` end with CRLF each.
    HttpResponse call(const std::string& method, const std::string& body = "",
                      const std::string& headers = "",
                      const std::string& content_type = "application/json",
                      const std::string& path = "/api/session") {
        RawClient c(server_->tls_port(), TlsOptions{});
        c.send(http_request(method, path, body, body.empty() ? "" : content_type, headers));
        return read_http_response(c);
    }
    /// A request to the admin API with a signed-in session (`csrf` sent when not empty).
    HttpResponse admin_call(const std::string& method, const std::string& path,
                            const std::string& cookie, const std::string& csrf,
                            const json& body = nullptr) {
        std::string headers = "Cookie: " + cookie + "\r\n";
        if (!csrf.empty()) headers += "X-CSRF-Token: " + csrf + "\r\n";
        return call(method, body.is_null() ? "" : body.dump(), headers, "application/json", path);
    }
    HttpResponse sign_in(const std::string& email, const std::string& password,
                         const std::string& headers = "") {
        return call(
            "POST",
            json{{"email", email}, {"hash", util::app_password_hash(email, password)}}.dump(),
            headers);
    }
    /// "blynkd_session=<value>" from a Set-Cookie header.
    static std::string cookie_of(const HttpResponse& r) {
        const std::string set = r.header("set-cookie");
        return set.substr(0, set.find(';'));
    }
    static json body_of(const HttpResponse& r) { return json::parse(r.body, nullptr, false); }

    WsClient::Options dashws(const std::string& cookie) const {
        WsClient::Options o;
        o.path = "/dashws";
        o.ca_file = (server_->data_dir() / "tls" / "cert.pem").string();
        o.cookie = cookie;
        return o;
    }
};

}  // namespace blynk::test
