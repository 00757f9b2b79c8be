#include "server/http/admin_api.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <mutex>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "common/proto/status.hpp"
#include "common/util/ascii.hpp"
#include "common/util/email.hpp"
#include "common/util/password.hpp"
#include "server/http/console_answers.hpp"
#include "server/http/console_api.hpp"
#include "server/http/metrics_process.hpp"
#include "server/http/url.hpp"
#include "server/hub/operations.hpp"
#include "server/hub/user_state.hpp"

namespace blynk::http {
namespace {

using nlohmann::json;
constexpr size_t kMaxHash = 128;

int64_t epoch_ms(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

const char* password_name(model::PasswordKind kind) {
    switch (kind) {
        case model::PasswordKind::App:
            return "app";
        case model::PasswordKind::Clear:
            return "old";
        case model::PasswordKind::None:
            break;
    }
    return "none";
}

/// Runs `visit` on every user's strand, each adding JSON items to a list; `done` gets them all
/// once every user has answered.
void visit_users(hub::Hub& hub, std::function<void(hub::UserState&, json& items)> visit,
                 std::function<void(json items)> done) {
    auto users = hub.all_users();
    if (users.empty()) return done(json::array());
    struct Gather {
        std::mutex mutex;
        json items = json::array();
        size_t remaining;
        std::function<void(json)> done;
    };
    auto gather = std::make_shared<Gather>();
    gather->remaining = users.size();
    gather->done = std::move(done);
    auto shared_visit = std::make_shared<decltype(visit)>(std::move(visit));
    for (auto& user : users) {
        boost::asio::post(user->executor(), [gather, shared_visit, user] {
            json mine = json::array();
            (*shared_visit)(*user, mine);
            std::unique_lock lock(gather->mutex);
            for (auto& item : mine)
                gather->items.push_back(std::move(item));
            if (--gather->remaining > 0) return;
            json all = std::move(gather->items);
            lock.unlock();
            gather->done(std::move(all));
        });
    }
}

json device_item(const hub::UserState& user, hub::DeviceRef ref, const hub::DeviceEntry& entry) {
    return json{{"email", user.email()},
                {"dash", ref.dash_id},
                {"device", ref.device_id},
                {"name", entry.device.name},
                {"board", entry.device.board_type},
                {"token", entry.device.token},
                {"online", entry.online()},
                {"connections", entry.connections.size()},
                {"last_seen_ms", entry.device.last_seen_ms},
                {"firmware", entry.info.firmware},
                {"library", entry.info.version}};
}

/// {"email","dash","device"} of a request; nullopt after answering 400.
struct DeviceTarget {
    std::string email;
    hub::DeviceRef ref;
};
std::optional<DeviceTarget> device_target(const json& body,
                                          const std::function<void(ApiResponse)>& done) {
    if (body.is_object() && body.contains("email") && body["email"].is_string() &&
        body.contains("dash") && body["dash"].is_number_integer() && body.contains("device") &&
        body["device"].is_number_integer()) {
        return DeviceTarget{util::ascii_lower(body["email"].get<std::string>()),
                            hub::DeviceRef{body["dash"].get<int>(), body["device"].get<int>()}};
    }
    done(console_error(400, "Expected {\"email\", \"dash\", \"device\"}."));
    return std::nullopt;
}

/// The error text of an operation's status (the app's status codes).
const char* refusal(uint16_t status) {
    switch (status) {
        case proto::status::kIllegalCommand:
            return "No such dashboard or device.";
        case proto::status::kNotAllowed:
            return "Refused: a limit or a duplicate.";
        default:
            return "The server could not store it.";
    }
}

}  // namespace

AdminApi::AdminApi(hub::AppContext& context, const hub::TrafficRates& rates, uint32_t devices_limit,
                   std::function<void(json&)> add_figures)
    : context_(context),
      rates_(rates),
      devices_limit_(devices_limit),
      add_figures_(std::move(add_figures)) {}

bool AdminApi::handles(std::string_view path) {
    return path.starts_with("/api/admin/");
}

void AdminApi::handle(const ConsoleApiRequest& request, const std::string& admin, Done done) {
    const std::string_view path = request.path;
    if (request.method == "GET" || request.method == "HEAD") {
        if (path == "/api/admin/overview") return overview(std::move(done));
        if (path == "/api/admin/users") return users(std::move(done));
        if (path == "/api/admin/devices") return devices(std::move(done));
        if (path == "/api/admin/sessions") return sessions(std::move(done));
        if (path == "/api/admin/events") return events(request, std::move(done));
        return done(console_error(404, "No such admin resource."));
    }
    if (request.method != "POST") return done(console_error(405, "Method not allowed."));
    if (!request.content_type.starts_with("application/json")) {
        return done(console_error(415, "Send application/json."));
    }
    const json body = json::parse(request.body, nullptr, false);
    if (path == "/api/admin/users/create") return create_user(body, admin, std::move(done));
    if (path == "/api/admin/users/delete") return delete_user(body, admin, std::move(done));
    if (path == "/api/admin/devices/create") return create_device(body, admin, std::move(done));
    if (path == "/api/admin/devices/delete") return delete_device(body, admin, std::move(done));
    if (path == "/api/admin/devices/refresh-token") {
        return refresh_token(body, admin, std::move(done));
    }
    if (path == "/api/admin/sessions/close") return close_session(body, admin, std::move(done));
    done(console_error(404, "No such admin action."));
}

void AdminApi::overview(Done done) {
    json o;
    o["version"] = BLYNKD_VERSION;
    o["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::steady_clock::now() - started_)
                        .count();
    o["users"] = context_.hub.user_count();
    o["devices"] = context_.hub.device_count();
    o["rss_bytes"] = resident_bytes();
    const auto rates = rates_.rates();
    o["messages_per_s"] = {{"hardware", rates[static_cast<size_t>(hub::Traffic::Hardware)]},
                           {"app", rates[static_cast<size_t>(hub::Traffic::App)]},
                           {"http", rates[static_cast<size_t>(hub::Traffic::Http)]}};
    o["login_lockouts_tracked"] = {{"accounts", context_.logins.tracked_accounts()},
                                   {"addresses", context_.logins.tracked_addresses()}};
    if (add_figures_) add_figures_(o);
    visit_users(
        context_.hub,
        [](hub::UserState& user, json& items) {
            size_t boards = 0, online = 0;
            for (const auto& [ref, entry] : user.devices()) {
                boards += entry.connections.size();
                online += entry.online() ? 1 : 0;
            }
            items.push_back({boards, user.apps().size(), online});
        },
        [o = std::move(o), done = std::move(done)](json counts) mutable {
            size_t boards = 0, apps = 0, online = 0;
            for (const auto& c : counts) {
                boards += c[0].get<size_t>();
                apps += c[1].get<size_t>();
                online += c[2].get<size_t>();
            }
            o["sessions"] = {{"hardware", boards}, {"app", apps}};
            o["devices_online"] = online;
            done(console_json(200, o));
        });
}

void AdminApi::users(Done done) {
    visit_users(
        context_.hub,
        [](hub::UserState& user, json& items) {
            size_t online = 0;
            for (const auto& [ref, entry] : user.devices())
                online += entry.online() ? 1 : 0;
            items.push_back({{"email", user.email()},
                             {"admin", user.admin()},
                             {"password", password_name(user.password_kind())},
                             {"dashboards", user.dashboards().size()},
                             {"devices", user.devices().size()},
                             {"devices_online", online},
                             {"app_sessions", user.apps().size()}});
        },
        [done = std::move(done)](json items) {
            std::sort(items.begin(), items.end(),
                      [](const json& a, const json& b) { return a["email"] < b["email"]; });
            done(console_json(200, items));
        });
}

void AdminApi::devices(Done done) {
    visit_users(
        context_.hub,
        [](hub::UserState& user, json& items) {
            for (const auto& [ref, entry] : user.devices())
                items.push_back(device_item(user, ref, entry));
        },
        [done = std::move(done)](json items) {
            std::sort(items.begin(), items.end(), [](const json& a, const json& b) {
                return std::tie(a["email"], a["dash"], a["device"]) <
                       std::tie(b["email"], b["dash"], b["device"]);
            });
            done(console_json(200, items));
        });
}

void AdminApi::sessions(Done done) {
    visit_users(
        context_.hub,
        [](hub::UserState& user, json& items) {
            for (const auto& [ref, entry] : user.devices()) {
                for (const hub::HardwareConnection* c : entry.connections) {
                    items.push_back({{"id", c->identity.id},
                                     {"kind", "hardware"},
                                     {"email", user.email()},
                                     {"device", ref.str()},
                                     {"name", entry.device.name},
                                     {"address", c->link.peer_address()},
                                     {"connection", c->link.repr()},
                                     {"since_ms", epoch_ms(c->identity.since)},
                                     {"firmware", entry.info.firmware},
                                     {"library", entry.info.version}});
                }
            }
            for (const hub::AppConnection* a : user.apps()) {
                items.push_back({{"id", a->identity.id},
                                 {"kind", a->shared_dash ? "shared app" : "app"},
                                 {"email", user.email()},
                                 {"address", a->link.peer_address()},
                                 {"connection", a->link.repr()},
                                 {"since_ms", epoch_ms(a->identity.since)},
                                 {"os", a->os}});
            }
        },
        [done = std::move(done)](json items) {
            std::sort(items.begin(), items.end(),
                      [](const json& a, const json& b) { return a["id"] < b["id"]; });
            done(console_json(200, items));
        });
}

void AdminApi::events(const ConsoleApiRequest& request, Done done) {
    auto target = parse_target("/?" + request.query);
    auto one = [&](std::string_view name) -> std::optional<std::string> {
        if (!target) return std::nullopt;
        auto values = query_values(*target, name);
        if (values.size() != 1) return std::nullopt;
        return values[0];
    };
    auto number = [&](std::string_view name, int fallback) -> std::optional<int> {
        auto text = one(name);
        if (!text) return fallback >= 0 ? std::optional<int>(fallback) : std::nullopt;
        int value = 0;
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
        if (ec != std::errc{} || end != text->data() + text->size() || value < 0) {
            return std::nullopt;
        }
        return value;
    };
    auto email = one("email");
    auto dash = number("dash", -1);
    auto device = number("device", -1);
    auto limit = number("limit", 100);
    if (!email || !dash || !device || !limit || *limit > 1000) {
        return done(console_error(400, "Expected ?email=&dash=&device=[&limit=1..1000]."));
    }
    context_.hub.persistence().device_events(
        util::ascii_lower(*email), hub::DeviceRef{*dash, *device}, static_cast<size_t>(*limit),
        [done = std::move(done)](std::optional<std::vector<model::DeviceEvent>> events,
                                 std::string error) {
            if (!events)
                return done(console_error(500, "The event log could not be read: " + error));
            json items = json::array();
            for (const auto& e : *events) {
                items.push_back(
                    {{"name", e.name}, {"description", e.description}, {"time_ms", e.time_ms}});
            }
            done(console_json(200, items));
        });
}

void AdminApi::create_user(const json& body, const std::string& admin, Done done) {
    const bool valid = body.is_object() && body.contains("email") && body["email"].is_string() &&
                       body.contains("hash") && body["hash"].is_string() &&
                       !body["hash"].get_ref<const std::string&>().empty() &&
                       body["hash"].get_ref<const std::string&>().size() <= kMaxHash &&
                       (!body.contains("admin") || body["admin"].is_boolean());
    if (!valid) return done(console_error(400, "Expected {\"email\", \"hash\", \"admin\"}."));
    const std::string email = util::ascii_lower(body["email"].get<std::string>());
    if (!util::plausible_email(email)) return done(console_error(400, "Not an e-mail address."));
    if (context_.hub.find_user(email)) return done(console_error(409, "The user exists."));
    const bool make_admin = body.value("admin", false);
    auto hashed = std::make_shared<std::string>();
    const bool queued = context_.run_password_work(
        [hashed, given = body["hash"].get<std::string>()] {
            *hashed = util::hash_password(given);
            return true;
        },
        [this, hashed, email, make_admin, admin, done](bool) {
            context_.hub.persistence().add_user(
                email, *hashed, model::PasswordKind::App, make_admin,
                [this, hashed, email, make_admin, admin, done](std::string error) {
                    if (!error.empty()) {
                        spdlog::info("admin {}: creating user {} failed: {}", admin, email, error);
                        return done(console_error(409, error));
                    }
                    context_.hub.add_user(email, *hashed, model::PasswordKind::App, make_admin);
                    spdlog::info("admin {}: created {} {}", admin,
                                 make_admin ? "administrator" : "user", email);
                    done(console_json(200, json{{"email", email}, {"admin", make_admin}}));
                });
        });
    if (!queued) done(console_error(503, "Too many password checks waiting: try again."));
}

void AdminApi::delete_user(const json& body, const std::string& admin, Done done) {
    if (!body.is_object() || !body.contains("email") || !body["email"].is_string()) {
        return done(console_error(400, "Expected {\"email\"}."));
    }
    const std::string email = util::ascii_lower(body["email"].get<std::string>());
    if (email == admin) return done(console_error(409, "An administrator cannot delete itself."));
    if (!context_.hub.find_user(email)) return done(console_error(404, "No such user."));
    context_.hub.persistence().delete_user(email, [this, email, admin, done](std::string error) {
        if (!error.empty()) {
            spdlog::info("admin {}: deleting user {} failed: {}", admin, email, error);
            return done(console_error(404, error));
        }
        // The storage thread announces the deletion too; removing twice is harmless.
        context_.hub.remove_user(email);
        spdlog::info("admin {}: deleted user {}", admin, email);
        done(console_json(200, json{{"deleted", email}}));
    });
}

void AdminApi::create_device(const json& body, const std::string& admin, Done done) {
    const bool valid = body.is_object() && body.contains("email") && body["email"].is_string() &&
                       body.contains("dash") && body["dash"].is_number_integer() &&
                       body.contains("name") && body["name"].is_string() &&
                       body["name"].get_ref<const std::string&>().size() <= 50 &&
                       (!body.contains("board") || body["board"].is_string());
    if (!valid) {
        return done(console_error(400, "Expected {\"email\", \"dash\", \"name\", \"board\"}."));
    }
    const std::string email = util::ascii_lower(body["email"].get<std::string>());
    auto user = context_.hub.find_user(email);
    if (!user) return done(console_error(404, "No such user."));
    const int dash_id = body["dash"].get<int>();
    model::Device device;
    device.name = body["name"].get<std::string>();
    device.board_type = body.value("board", std::string("ESP32"));
    boost::asio::post(user->executor(), [this, user, dash_id, device = std::move(device), admin,
                                         done = std::move(done)]() mutable {
        // The next free id on the dashboard, as the CLI picks it.
        int next = 0;
        for (const auto& [ref, entry] : user->devices())
            if (ref.dash_id == dash_id) next = std::max(next, ref.device_id + 1);
        device.id = next;
        hub::ops::create_device(
            context_.hub, user, dash_id, std::move(device), devices_limit_,
            [user, dash_id, admin, done](const model::Device* stored, uint16_t status,
                                         std::string_view why) {
                if (!stored) {
                    spdlog::info("admin {}: creating a device for {} refused: {}", admin,
                                 user->email(), why);
                    return done(console_error(status == proto::status::kIllegalCommand ? 404 : 409,
                                              refusal(status)));
                }
                spdlog::info("admin {}: created device {}-{} {:?} for {}", admin, dash_id,
                             stored->id, std::string_view(stored->name), user->email());
                const hub::DeviceRef ref{dash_id, stored->id};
                done(console_json(200, device_item(*user, ref, *user->find(ref))));
            });
    });
}

void AdminApi::delete_device(const json& body, const std::string& admin, Done done) {
    auto target = device_target(body, done);
    if (!target) return;
    auto user = context_.hub.find_user(target->email);
    if (!user) return done(console_error(404, "No such user."));
    boost::asio::post(user->executor(), [this, user, ref = target->ref, admin, done] {
        hub::ops::delete_device(
            context_.hub, user, ref,
            [user, ref, admin, done](uint16_t status, std::string_view why) {
                if (status != proto::status::kOk) {
                    spdlog::info("admin {}: deleting device {} of {} failed: {}", admin, ref.str(),
                                 user->email(), why);
                    return done(console_error(status == proto::status::kIllegalCommand ? 404 : 500,
                                              refusal(status)));
                }
                spdlog::info("admin {}: deleted device {} of {}", admin, ref.str(), user->email());
                done(console_json(200, json{{"deleted", true}}));
            });
    });
}

void AdminApi::refresh_token(const json& body, const std::string& admin, Done done) {
    auto target = device_target(body, done);
    if (!target) return;
    auto user = context_.hub.find_user(target->email);
    if (!user) return done(console_error(404, "No such user."));
    boost::asio::post(user->executor(), [this, user, ref = target->ref, admin, done] {
        hub::ops::refresh_token(
            context_.hub, user, ref,
            [user, ref, admin, done](const std::string* token, uint16_t status) {
                if (!token) {
                    return done(console_error(status == proto::status::kIllegalCommand ? 404 : 500,
                                              refusal(status)));
                }
                spdlog::info("admin {}: refreshed the token of device {} of {}", admin, ref.str(),
                             user->email());
                done(console_json(200, json{{"token", *token}}));
            });
    });
}

void AdminApi::close_session(const json& body, const std::string& admin, Done done) {
    if (!body.is_object() || !body.contains("id") || !body["id"].is_number_unsigned()) {
        return done(console_error(400, "Expected {\"id\"}."));
    }
    const uint64_t id = body["id"].get<uint64_t>();
    const std::string reason = "disconnected by administrator " + admin;
    visit_users(
        context_.hub,
        [id, reason](hub::UserState& user, json& items) {
            for (const auto& [ref, entry] : user.devices()) {
                for (hub::HardwareConnection* c : entry.connections) {
                    if (c->identity.id != id) continue;
                    items.push_back(c->link.repr());
                    c->link.close(reason);
                }
            }
            for (hub::AppConnection* a : user.apps()) {
                if (a->identity.id != id) continue;
                items.push_back(a->link.repr());
                a->link.close(reason);
            }
        },
        [id, admin, done](json closed) {
            if (closed.empty()) return done(console_error(404, "No such session."));
            spdlog::info("admin {}: disconnected session {} ({})", admin, id,
                         closed[0].get<std::string>());
            done(console_json(200, json{{"closed", closed[0]}}));
        });
}

}  // namespace blynk::http
