#include "server/http/console_api.hpp"

#include <openssl/crypto.h>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "common/util/ascii.hpp"
#include "common/util/password.hpp"
#include "server/http/console_answers.hpp"
#include "server/hub/user_state.hpp"

namespace blynk::http {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

/// The app's password hash is 44 characters of Base64; anything much longer is not one.
constexpr size_t kMaxHash = 128;
constexpr size_t kMaxEmail = 255;

ApiResponse session_answer(const std::string& email, bool admin, const std::string& csrf) {
    return console_json(200, json{{"email", email}, {"admin", admin}, {"csrf", csrf}});
}

std::string session_cookie(std::string_view value, std::chrono::seconds max_age) {
    // Secure even behind a TLS-terminating proxy (web.console.plain): the browser sees https.
    return std::string(kSessionCookie) + "=" + std::string(value) +
           "; Path=/; Max-Age=" + std::to_string(max_age.count()) +
           "; HttpOnly; Secure; SameSite=Strict";
}

bool equal_secret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

ConsoleApi::ConsoleApi(hub::AppContext& context, WebSessions& sessions, AdminApi& admin,
                       bool serve_plain)
    : context_(context), sessions_(sessions), admin_(admin), serve_plain_(serve_plain) {}

bool ConsoleApi::handles(std::string_view path) {
    return path == "/api/session" || AdminApi::handles(path);
}

void ConsoleApi::handle(ConsoleApiRequest request, std::function<void(ApiResponse)> done) {
    if (!request.tls && !serve_plain_) {
        return done(console_error(403, "The console is served over https."));
    }
    if (!same_origin(request.origin, request.host, request.tls)) {
        spdlog::warn("console: {} {} from {} refused: Origin {} is not this server", request.method,
                     request.path, request.peer_address, request.origin);
        return done(console_error(403, "Cross-site request refused."));
    }
    if (AdminApi::handles(request.path)) return administer(std::move(request), std::move(done));
    if (request.method == "GET" || request.method == "HEAD") return get_session(request, done);
    if (request.method == "POST") return sign_in(request, done);
    if (request.method == "DELETE") return sign_out(request, done);
    ApiResponse r = console_error(405, "Method not allowed.");
    r.headers.emplace_back("Allow", "GET, POST, DELETE");
    done(std::move(r));
}

bool ConsoleApi::same_origin(std::string_view origin, std::string_view host, bool tls) const {
    if (origin.empty()) return true;  // not a browser's cross-origin request
    const std::string_view scheme = tls || serve_plain_ ? "https://" : "http://";
    if (origin == std::string(scheme) + std::string(host)) return true;
    // Behind a TLS-terminating proxy the browser's origin is https while we hear http.
    return serve_plain_ && origin == "http://" + std::string(host);
}

std::string ConsoleApi::websocket_user(std::string_view cookie_header, std::string_view origin,
                                       std::string_view host, bool tls) {
    const std::string_view cookie = cookie_value(cookie_header, kSessionCookie);
    if (cookie.empty() || (!tls && !serve_plain_) || !same_origin(origin, host, tls)) return {};
    auto session = sessions_.find(cookie, Clock::now());
    return session ? session->email : std::string();
}

void ConsoleApi::get_session(const ConsoleApiRequest& request,
                             std::function<void(ApiResponse)> done) {
    // Signed out is an ordinary answer (a 401 would be an error in every browser's console).
    const std::string_view cookie = cookie_value(request.cookie, kSessionCookie);
    auto session = cookie.empty() ? std::nullopt : sessions_.find(cookie, Clock::now());
    auto user = session ? context_.hub.find_user(session->email) : nullptr;
    if (!user) return done(console_json(200, json{{"email", nullptr}}));
    // The administrator flag lives on the user's strand (the CLI may change it at any time).
    boost::asio::post(user->executor(), [user, csrf = session->csrf, done = std::move(done)] {
        done(session_answer(user->email(), user->admin(), csrf));
    });
}

void ConsoleApi::sign_in(const ConsoleApiRequest& request, std::function<void(ApiResponse)> done) {
    if (!request.content_type.starts_with("application/json")) {
        return done(console_error(415, "Send the sign-in as application/json."));
    }
    const json body = json::parse(request.body, nullptr, false);
    const json* email_field = body.is_object() && body.contains("email") ? &body["email"] : nullptr;
    const json* hash_field = body.is_object() && body.contains("hash") ? &body["hash"] : nullptr;
    if (!email_field || !email_field->is_string() || !hash_field || !hash_field->is_string() ||
        email_field->get_ref<const std::string&>().size() > kMaxEmail ||
        hash_field->get_ref<const std::string&>().empty() ||
        hash_field->get_ref<const std::string&>().size() > kMaxHash) {
        return done(console_error(400, "Expected {\"email\": ..., \"hash\": ...}."));
    }
    const std::string email = util::ascii_lower(email_field->get_ref<const std::string&>());
    const std::string& address = request.peer_address;
    // The app's limits: the same counters, checked before any hashing work.
    if (auto locked = context_.logins.locked_for(address, email, Clock::now()); locked.count()) {
        spdlog::info("console sign-in refused: {} from {} is locked for {} more s", email, address,
                     locked.count());
        ApiResponse r = console_error(403, "Too many failed sign-ins: try again in " +
                                               std::to_string(locked.count()) + " seconds.");
        r.headers.emplace_back("Retry-After", std::to_string(locked.count()));
        return done(std::move(r));
    }
    auto refuse = [this, address, email](std::string_view why) {
        if (context_.logins.failed(address, email, Clock::now())) {
            spdlog::warn(
                "console sign-in: too many failures for {} or from {}: locked for "
                "login.lockout seconds",
                email, address);
        }
        spdlog::info("console sign-in rejected: {} from {}: {}", email, address, why);
        return console_error(401, "Wrong e-mail or password.");
    };
    auto user = context_.hub.find_user(email);
    if (!user) return done(refuse("no such user"));
    boost::asio::post(user->executor(), [this, user, address, email, refuse,
                                         given = hash_field->get<std::string>(),
                                         done = std::move(done)]() mutable {
        if (user->password_kind() != model::PasswordKind::App) {
            return done(refuse(user->password_kind() == model::PasswordKind::Clear
                                   ? "password from an older blynkd: run blynkd user password"
                                   : "the account has no password"));
        }
        const bool queued = context_.run_password_work(
            [given = std::move(given), stored = user->password_hash()] {
                return util::verify_password(given, stored);
            },
            [this, user, address, email, refuse, done, checked = user->password_hash()](bool ok) {
                if (!ok) return done(refuse("wrong password"));
                // Back on the strand: the admin flag is read there, and a password changed
                // while this one was checked (its sessions were just signed out) must not
                // open a new session with the old one.
                boost::asio::post(
                    user->executor(), [this, user, address, email, refuse, done, checked] {
                        if (user->password_hash() != checked) {
                            return done(refuse("the password changed meanwhile"));
                        }
                        context_.logins.succeeded(address, email);
                        auto session = sessions_.create(email, Clock::now());
                        spdlog::info("console sign-in: {} from {}", email, address);
                        ApiResponse r = session_answer(user->email(), user->admin(), session.csrf);
                        r.headers.emplace_back(
                            "Set-Cookie", session_cookie(session.cookie, sessions_.lifetime()));
                        done(std::move(r));
                    });
            });
        if (!queued) {
            spdlog::warn("console sign-in: too many password checks waiting; {} told to retry",
                         email);
            done(console_error(503, "Too many sign-ins at once: try again in a moment."));
        }
    });
}

void ConsoleApi::administer(ConsoleApiRequest request, std::function<void(ApiResponse)> done) {
    const std::string_view cookie = cookie_value(request.cookie, kSessionCookie);
    auto session = cookie.empty() ? std::nullopt : sessions_.find(cookie, Clock::now());
    auto user = session ? context_.hub.find_user(session->email) : nullptr;
    if (!user) return done(console_error(401, "Not signed in."));
    const bool change = request.method != "GET" && request.method != "HEAD";
    if (change && !equal_secret(request.csrf, session->csrf)) {
        spdlog::warn("console: {} {} by {} from {} refused: wrong X-CSRF-Token", request.method,
                     request.path, session->email, request.peer_address);
        return done(console_error(403, "Missing or wrong X-CSRF-Token."));
    }
    // The flag is read on the user's strand: the CLI may have just changed it.
    boost::asio::post(user->executor(),
                      [this, user, request = std::move(request), done = std::move(done)] {
                          if (!user->admin()) {
                              spdlog::warn("console: {} {} refused: {} is not an administrator",
                                           request.method, request.path, user->email());
                              return done(console_error(403, "Administrators only."));
                          }
                          admin_.handle(request, user->email(), done);
                      });
}

void ConsoleApi::sign_out(const ConsoleApiRequest& request, std::function<void(ApiResponse)> done) {
    const std::string_view cookie = cookie_value(request.cookie, kSessionCookie);
    auto session = cookie.empty() ? std::nullopt : sessions_.find(cookie, Clock::now());
    if (!session) return done(console_error(401, "Not signed in."));
    if (!equal_secret(request.csrf, session->csrf)) {
        spdlog::warn("console: sign-out of {} from {} refused: wrong X-CSRF-Token", session->email,
                     request.peer_address);
        return done(console_error(403, "Missing or wrong X-CSRF-Token."));
    }
    sessions_.revoke(cookie);
    spdlog::info("console sign-out: {} from {}", session->email, request.peer_address);
    // 200 with GET's signed-out answer, not 204: Chromium reported the page's fetch answered
    // 204 as failed (net::ERR_ABORTED) although it had been handled.
    ApiResponse r = console_json(200, json{{"email", nullptr}});
    r.headers.emplace_back("Set-Cookie", session_cookie("", std::chrono::seconds(0)));
    done(std::move(r));
}

}  // namespace blynk::http
