#include "server/http/console_answers.hpp"

#include <nlohmann/json.hpp>

namespace blynk::http {

ApiResponse console_json(unsigned status, const nlohmann::json& body) {
    // Values come from devices and users: invalid UTF-8 is replaced, never an exception.
    ApiResponse r(status, "application/json; charset=utf-8",
                  body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    r.any_origin = false;
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
}

ApiResponse console_error(unsigned status, std::string_view text) {
    return console_json(status, nlohmann::json{{"error", text}});
}

}  // namespace blynk::http
