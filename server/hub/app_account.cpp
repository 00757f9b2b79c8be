#include <openssl/crypto.h>

#include <chrono>
#include <optional>

#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "common/util/ascii.hpp"
#include "common/util/email.hpp"
#include "common/util/password.hpp"
#include "server/hub/app_handlers.hpp"
#include "server/hub/operations.hpp"
#include "server/hub/traffic.hpp"
#include "server/hub/user_state.hpp"
#include "server/logging/peer_lines.hpp"

namespace blynk::hub::app {
namespace {

namespace status = proto::status;
using Clock = std::chrono::steady_clock;

/// LOGIN's secret from a web console page signed in with its cookie.
constexpr std::string_view kWebSessionSecret = "session";

/// The app hashes the password as Base64 of a SHA-256: 44 characters; anything much longer is
/// not a Blynk app.
constexpr size_t kMaxPasswordHash = 128;

/// Runs `work` on the CPU pool, then `then(result)` on the session's strand; false (nothing
/// queued) when too many password checks are waiting already.
bool hash_off_thread(AppContext& context, AppConnection& conn, std::function<bool()> work,
                     std::function<void(bool)> then) {
    return context.run_password_work(
        std::move(work), [&conn, alive = conn.link.keep_alive(), then = std::move(then)](bool ok) {
            conn.link.post([alive, then, ok] { then(ok); });
        });
}

void refuse_login(AppContext& context, AppConnection& conn, uint16_t id, uint16_t code,
                  const std::string& address, const std::string& email, std::string_view why) {
    if (context.logins.failed(address, email, Clock::now())) {
        spdlog::warn("login: too many failures for {} or from {}: locked for login.lockout seconds",
                     email, address);
    }
    count_login(Traffic::App, false);
    logging::peer_log(logging::PeerLine::LoginFailure, spdlog::level::info,
                      "login rejected: {} ({}): {}", email, conn.link.repr(), why);
    conn.link.send_response(id, code);
}

/// How LOGIN and SHARE_LOGIN differ before their own check.
struct LoginKind {
    std::string_view name;            ///< for log lines
    uint16_t unknown_user;            ///< the answer when the account does not exist
    std::string_view account_prefix;  ///< the login limiter's account: prefix + e-mail
};
constexpr LoginKind kPasswordLogin{"login", status::kUserNotRegistered, ""};
// Failures with a dashboard's share token lock further share logins to that owner, never the
// owner's own login; an unknown owner gets the wrong token's answer (nothing learnt of
// accounts).
constexpr LoginKind kShareLogin{"share login", status::kNotAllowed, "share:"};

struct LoginAttempt {
    std::shared_ptr<UserState> user;
    std::string account;  ///< the lower-cased e-mail, with the kind's prefix
    std::string address;
    std::string secret;  ///< the app's password hash, or the share token
    std::string os;
    uint16_t id = 0;
};

/// What LOGIN and SHARE_LOGIN share before their own check: `email\0secret[\0os...]`, the
/// lockout (before any work), the account. On success the connection is LoggingIn with reading
/// paused; otherwise it has been answered.
std::optional<LoginAttempt> begin_login(AppContext& context, AppConnection& conn,
                                        const proto::FrameView& frame, const LoginKind& kind) {
    const auto fields = proto::split_all(frame.body);
    if (fields.size() < 2 || fields[1].empty() || fields[1].size() > kMaxPasswordHash) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return std::nullopt;
    }
    const std::string email = util::ascii_lower(fields[0]);
    LoginAttempt a;
    a.account = std::string(kind.account_prefix) + email;
    a.address = conn.link.peer_address();
    a.id = frame.id;
    if (auto locked = context.logins.locked_for(a.address, a.account, Clock::now());
        locked.count()) {
        spdlog::info("{} refused: {} from {} is locked for {} more s after repeated failures",
                     kind.name, email, a.address, locked.count());
        conn.link.send_response(frame.id, status::kNotAllowed);
        return std::nullopt;
    }
    a.user = context.hub.find_user(email);
    if (!a.user) {
        refuse_login(context, conn, frame.id, kind.unknown_user, a.address, a.account,
                     "no such user");
        return std::nullopt;
    }
    a.secret = fields[1];
    if (fields.size() >= 3) a.os = fields[2];
    conn.state = AppConnection::State::LoggingIn;
    conn.link.pause_reading();
    return a;
}

/// Ends a successful LOGIN or SHARE_LOGIN (`shared_dash` set) on the user's strand.
void finish_login(AppContext& context, AppConnection& conn, LoginAttempt& a,
                  std::optional<int> shared_dash) {
    context.logins.succeeded(a.address, a.account);
    count_login(Traffic::App, true);
    const std::shared_ptr<UserState>& user = a.user;
    conn.state = AppConnection::State::LoggedIn;
    conn.user = user;
    conn.os = std::move(a.os);
    conn.shared_dash = shared_dash;
    conn.link.logged_in(shared_dash
                            ? fmt::format("user={} shared dash={}", user->email(), *shared_dash)
                            : "user=" + user->email());
    conn.link.set_idle_timeout(conn.options.idle_timeout);
    user->attach_app(conn);
    conn.link.send_response(a.id, status::kOk);
    ops::announce_app_presence(*user, true);
    spdlog::info("{} ok: {} ({} app session(s))", shared_dash ? "share login" : "login",
                 conn.link.repr(), user->apps().size());
}

/// The shared dashboard whose share token is `token`, or nullptr.
const model::Dashboard* shared_dashboard(const UserState& user, std::string_view token) {
    for (const auto& [id, dash] : user.dashboards()) {
        if (dash.shared && !token.empty() && dash.share_token.size() == token.size() &&
            CRYPTO_memcmp(dash.share_token.data(), token.data(), token.size()) == 0) {
            return &dash;
        }
    }
    return nullptr;
}

}  // namespace

void get_server(AppConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<2>(frame.body);
    if (f.count < 1 || !util::plausible_email(f.field[0])) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    // One node serves every user: the answer is this server.
    const std::string host =
        conn.options.server_host.empty() ? conn.link.local_address() : conn.options.server_host;
    conn.link.send(proto::cmd::kGetServer, frame.id, host);
}

void register_account(AppContext& context, AppConnection& conn, const proto::FrameView& frame) {
    auto f = proto::split_n<3>(frame.body);
    const std::string address(conn.link.peer_address());
    if (!conn.options.allow_registration || conn.registered) {
        spdlog::info(
            "register refused: {} ({})",
            conn.registered ? "second REGISTER on one connection" : "allow.registration is off",
            conn.link.repr());
        conn.link.send_response(frame.id, status::kNotAllowed);
        return;
    }
    if (f.count < 2 || !util::plausible_email(f.field[0]) || f.field[1].empty() ||
        f.field[1].size() > kMaxPasswordHash) {
        conn.link.send_response(frame.id, status::kIllegalCommand);
        return;
    }
    if (!context.registrations.try_acquire(address, Clock::now())) {
        spdlog::warn("register refused: hourly.registrations.limit reached for {} ({})", address,
                     conn.link.repr());
        conn.link.send_response(frame.id, status::kNotAllowed);
        return;
    }
    const std::string email = util::ascii_lower(f.field[0]);
    if (context.hub.find_user(email)) {
        conn.link.send_response(frame.id, status::kUserAlreadyRegistered);
        return;
    }
    conn.registered = true;
    conn.link.pause_reading();
    auto hashed = std::make_shared<std::string>();
    const uint16_t id = frame.id;
    const bool queued = hash_off_thread(
        context, conn,
        [hashed, password = std::string(f.field[1])] {
            *hashed = util::hash_password(password);
            return true;
        },
        [&context, &conn, hashed, email, id](bool) {
            context.hub.persistence().add_user(
                email, *hashed, model::PasswordKind::App, /*admin=*/false,
                [&context, &conn, alive = conn.link.keep_alive(), hashed, email,
                 id](std::string error) {
                    conn.link.post([&context, &conn, alive, hashed, email, id, error] {
                        if (!error.empty()) {
                            spdlog::info("register failed: {}: {} ({})", email, error,
                                         conn.link.repr());
                            conn.link.send_response(id, status::kUserAlreadyRegistered);
                        } else {
                            // The storage thread may have announced the new user already (its
                            // provision log reports our own writes too): either way it is known.
                            context.hub.add_user(email, *hashed, model::PasswordKind::App,
                                                 /*admin=*/false);
                            spdlog::info("registered: {} ({})", email, conn.link.repr());
                            conn.link.send_response(id, status::kOk);
                        }
                        conn.link.resume_reading();
                    });
                });
        });
    if (!queued) {
        conn.link.send_response(frame.id, status::kQuotaLimit);
        conn.link.resume_reading();
    }
}

void login(AppContext& context, AppConnection& conn, const proto::FrameView& frame) {
    auto attempt = begin_login(context, conn, frame, kPasswordLogin);
    if (!attempt) return;
    UserExecutor strand = attempt->user->executor();  // before *attempt moves into the handler
    // Joining the user's strand first: the hash is read there, and the login ends there.
    conn.link.rebind(strand, [&context, &conn, a = std::move(*attempt)]() mutable {
        auto fail = [&](uint16_t code, std::string_view why) {
            conn.state = AppConnection::State::Connected;
            refuse_login(context, conn, a.id, code, a.address, a.account, why);
            conn.link.resume_reading();
        };
        if (a.secret == kWebSessionSecret && !conn.web_user.empty() &&
            conn.web_user == a.user->email()) {
            // The console's cookie, checked at the upgrade, already proved who this is.
            finish_login(context, conn, a, std::nullopt);
            return conn.link.resume_reading();
        }
        if (a.user->password_kind() == model::PasswordKind::Clear) {
            spdlog::warn(
                "login: {} has a password set by an older blynkd, which the app cannot use; "
                "set a new one with: blynkd user password {}",
                a.user->email(), a.user->email());
            return fail(status::kUserNotAuthenticated, "password from an older blynkd");
        }
        if (a.user->password_kind() != model::PasswordKind::App) {
            return fail(status::kUserNotAuthenticated, "the account has no password");
        }
        const bool queued = hash_off_thread(
            context, conn,
            [given = a.secret, stored = a.user->password_hash()] {
                return util::verify_password(given, stored);
            },
            [&context, &conn, a](bool ok) mutable {
                if (conn.state != AppConnection::State::LoggingIn) return;  // closed meanwhile
                if (!ok) {
                    conn.state = AppConnection::State::Connected;
                    refuse_login(context, conn, a.id, status::kUserNotAuthenticated, a.address,
                                 a.account, "wrong password");
                } else {
                    finish_login(context, conn, a, std::nullopt);
                }
                conn.link.resume_reading();
            });
        if (!queued) {
            conn.state = AppConnection::State::Connected;
            spdlog::warn("login: too many password checks waiting; {} told to retry ({})",
                         a.user->email(), conn.link.repr());
            conn.link.send_response(a.id, status::kQuotaLimit);
            conn.link.resume_reading();
        }
    });
}

void share_login(AppContext& context, AppConnection& conn, const proto::FrameView& frame) {
    auto attempt = begin_login(context, conn, frame, kShareLogin);
    if (!attempt) return;
    UserExecutor strand = attempt->user->executor();  // before *attempt moves into the handler
    // Dashboards are read on the user's strand.
    conn.link.rebind(strand, [&context, &conn, a = std::move(*attempt)]() mutable {
        const model::Dashboard* dash = shared_dashboard(*a.user, a.secret);
        if (!dash) {
            conn.state = AppConnection::State::Connected;
            refuse_login(context, conn, a.id, status::kNotAllowed, a.address, a.account,
                         "no shared dashboard with that token");
        } else {
            finish_login(context, conn, a, dash->id);
        }
        conn.link.resume_reading();
    });
}

void logout(AppConnection& conn, const proto::FrameView& frame) {
    conn.user->persistence().remove_push_tokens(conn.user->email(), std::string(frame.body));
    conn.link.send_response(frame.id, status::kOk);
    conn.link.close_after_writes("logged out");
}

}  // namespace blynk::hub::app
