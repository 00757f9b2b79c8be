#pragma once
// The web console's admin view (administrators only; ConsoleApi checks the session, the CSRF
// token and the administrator flag before anything here runs). JSON in and out:
//
//   GET  /api/admin/overview               version, uptime, users, devices, sessions, messages
//                                          received per second, RSS, storage queue, console
//                                          sign-ins
//   GET  /api/admin/users                  every account: role, password kind, counts
//   GET  /api/admin/devices                every device: owner, token, online, firmware
//   GET  /api/admin/sessions               every live board and app session
//   GET  /api/admin/events?email=&dash=&device=[&limit=]   a device's event log, newest first
//   POST /api/admin/users/create           {"email","hash","admin"}: hash as the app sends it
//   POST /api/admin/devices/create         {"email","dash","name","board"} → the device
//   POST /api/admin/devices/delete         {"email","dash","device"}
//   POST /api/admin/devices/refresh-token  {"email","dash","device"} → {"token"}
//   POST /api/admin/sessions/close         {"id"}
//
// Every change is logged with the administrator who made it. Lists visit every user on its own
// strand and answer when all have: fine for an admin page, not for a hot path.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "server/http/api.hpp"
#include "server/hub/app_context.hpp"
#include "server/hub/traffic.hpp"

namespace blynk::http {

struct ConsoleApiRequest;

class AdminApi {
public:
    /// `add_figures` adds what the hub does not know (the storage queue, console sign-ins) to
    /// the overview.
    AdminApi(hub::AppContext& context, const hub::TrafficRates& rates, uint32_t devices_limit,
             std::function<void(nlohmann::json&)> add_figures);

    /// Whether `path` is the admin API's.
    static bool handles(std::string_view path);
    /// Answers an administrator's request; `done` runs exactly once, on any thread.
    void handle(const ConsoleApiRequest& request, const std::string& admin,
                std::function<void(ApiResponse)> done);

private:
    using Done = std::function<void(ApiResponse)>;
    void overview(Done done);
    void users(Done done);
    void devices(Done done);
    void sessions(Done done);
    void events(const ConsoleApiRequest& request, Done done);
    void create_user(const nlohmann::json& body, const std::string& admin, Done done);
    void create_device(const nlohmann::json& body, const std::string& admin, Done done);
    void delete_device(const nlohmann::json& body, const std::string& admin, Done done);
    void refresh_token(const nlohmann::json& body, const std::string& admin, Done done);
    void close_session(const nlohmann::json& body, const std::string& admin, Done done);

    hub::AppContext& context_;
    const hub::TrafficRates& rates_;
    uint32_t devices_limit_;
    std::function<void(nlohmann::json&)> add_figures_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace blynk::http
