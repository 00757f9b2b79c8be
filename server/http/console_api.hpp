#pragma once
// The web console's sign-in (`/api/session`): the same accounts and app password hash as the
// mobile app, checked on the CPU pool with the app's failed-login limits; a session cookie
// (random, HttpOnly, Secure, SameSite=Strict, expiring) and a CSRF token for every change.
//
//   GET    /api/session  200 {"email","admin","csrf"}, or 200 {"email":null} when signed out
//   POST   /api/session  {"email","hash"} → 200 as GET + Set-Cookie; 401 wrong; 403 locked
//   DELETE /api/session  X-CSRF-Token → 200 {"email":null}, the cookie cleared
//
// A /dashws upgrade that carries the cookie is signed in as its user (websocket_user()).
// /api/admin/... (admin_api.hpp) needs a signed-in administrator, and the CSRF token for changes.

#include <functional>
#include <string>
#include <string_view>

#include "server/http/admin_api.hpp"
#include "server/http/api.hpp"
#include "server/http/web_sessions.hpp"
#include "server/hub/app_context.hpp"

namespace blynk::http {

struct ConsoleApiRequest {
    std::string method;
    std::string path;   ///< without the query
    std::string query;  ///< after '?', as received (empty when none)
    std::string content_type;
    std::string body;
    std::string cookie;  ///< the Cookie header
    std::string csrf;    ///< the X-CSRF-Token header
    std::string origin;  ///< the Origin header (empty when the browser sent none)
    std::string host;    ///< the Host header
    std::string peer_address;
    bool tls = false;
};

class ConsoleApi {
public:
    /// `serve_plain`: web.console.plain (sign-in over plain HTTP is refused otherwise).
    ConsoleApi(hub::AppContext& context, WebSessions& sessions, AdminApi& admin, bool serve_plain);

    /// Whether `path` is the console API's.
    static bool handles(std::string_view path);
    /// Answers `request`; `done` runs exactly once, on any thread.
    void handle(ConsoleApiRequest request, std::function<void(ApiResponse)> done);

    /// The e-mail a WebSocket upgrade is signed in as: its cookie names a live session and its
    /// Origin (when sent) is this server. Empty otherwise.
    std::string websocket_user(std::string_view cookie_header, std::string_view origin,
                               std::string_view host, bool tls);

private:
    void get_session(const ConsoleApiRequest& request, std::function<void(ApiResponse)> done);
    void sign_in(const ConsoleApiRequest& request, std::function<void(ApiResponse)> done);
    void sign_out(const ConsoleApiRequest& request, std::function<void(ApiResponse)> done);
    void administer(ConsoleApiRequest request, std::function<void(ApiResponse)> done);
    bool same_origin(std::string_view origin, std::string_view host, bool tls) const;

    hub::AppContext& context_;
    WebSessions& sessions_;
    AdminApi& admin_;
    bool serve_plain_;
};

}  // namespace blynk::http
