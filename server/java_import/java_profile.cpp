#include "server/java_import/java_profile.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "common/util/ascii.hpp"
#include "common/util/email.hpp"
#include "server/java_import/java_pins.hpp"
#include "server/model/json_text.hpp"
#include "server/model/profile_json.hpp"

namespace blynk::java_import {
namespace {

using Json = nlohmann::ordered_json;

std::string string_field(const Json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool true_field(const Json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_boolean() && it->get<bool>();
}

int64_t integer_field(const Json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() ? 0 : model::json_integer(*it).value_or(0);
}

/// The tokens of the Java devices (which parse_dashboard leaves out: the server owns them).
void take_tokens(const Json& dash_json, model::Dashboard& dash, std::vector<std::string>& notes) {
    auto devices = dash_json.find("devices");
    for (model::Device& device : dash.devices) {
        if (devices != dash_json.end() && devices->is_array()) {
            for (const Json& java : *devices) {
                if (java.is_object() && integer_field(java, "id") == device.id) {
                    device.token = string_field(java, "token");
                    break;
                }
            }
        }
        if (device.token.empty()) {
            notes.push_back("device " + std::to_string(device.id) + " of dashboard " +
                            std::to_string(dash.id) +
                            " had no token: it gets a new one (the board needs it)");
        }
    }
}

std::optional<model::Dashboard> read_dashboard(const Json& dash_json, const Json* storage,
                                               std::vector<std::string>& notes) {
    std::string error;
    std::optional<model::Dashboard> dash =
        model::parse_dashboard(model::dump_json(dash_json), error);
    if (!dash) {
        const std::string id = dash_json.is_object() && dash_json.contains("id")
                                   ? std::to_string(integer_field(dash_json, "id")) + " "
                                   : std::string();
        notes.push_back("dashboard " + id + "left out: " + error);
        return std::nullopt;
    }
    take_tokens(dash_json, *dash, notes);
    dash->share_token = string_field(dash_json, "sharedToken");
    collect_pin_values(dash_json, storage, *dash, notes);
    return dash;
}

void note_account(const Json& json, JavaUser& out) {
    if (true_field(json, "isFacebookUser")) {
        out.notes.push_back(
            "signed in with Facebook, which blynkd does not offer: set a password with "
            "`blynkd user password " +
            out.user.email + "`");
    } else if (out.app_password.empty()) {
        out.notes.push_back("has no password: set one with `blynkd user password " +
                            out.user.email + "`");
    }
    if (out.user.admin) out.notes.push_back("super admin: made an administrator");
}

}  // namespace

std::optional<JavaUser> parse_java_user(std::string_view text, std::string& error) {
    std::optional<Json> json = model::parse_json_text(text);
    if (!json) {
        // The Java server overwrote files in place: a crash mid-write leaves them cut short.
        error = "not valid JSON (cut short while the Java server wrote it?)";
        return std::nullopt;
    }
    if (!json->is_object()) {
        error = "not a JSON object";
        return std::nullopt;
    }
    JavaUser out;
    std::string email = string_field(*json, "email");
    if (email.empty()) email = string_field(*json, "name");  // the oldest files had only "name"
    out.user.email = util::ascii_lower(email);
    if (!util::plausible_email(out.user.email)) {
        error = email.empty() ? "no \"email\"" : "\"" + email + "\" is not an e-mail address";
        return std::nullopt;
    }
    out.app_name = string_field(*json, "appName");
    if (out.app_name.empty()) out.app_name = kBlynkAppName;
    out.app_password = string_field(*json, "pass");
    out.user.admin = true_field(*json, "isSuperAdmin");
    out.user.password_kind = model::PasswordKind::None;
    note_account(*json, out);

    const Json empty = Json::object();
    auto profile_it = json->find("profile");
    const Json& profile = profile_it == json->end() || profile_it->is_null() ? empty : *profile_it;
    auto dashes = profile.is_object() ? profile.find("dashBoards") : profile.end();
    if (!profile.is_object() ||
        (dashes != profile.end() && !dashes->is_null() && !dashes->is_array())) {
        error = "\"profile\" or its \"dashBoards\" is not what the Java server writes";
        return std::nullopt;
    }
    auto storage_it = profile.find("pinsStorage");
    const Json* storage = storage_it != profile.end() ? &*storage_it : nullptr;
    std::set<int> ids;
    if (dashes != profile.end() && dashes->is_array()) {
        for (const Json& dash_json : *dashes) {
            auto dash = read_dashboard(dash_json, storage, out.notes);
            if (!dash) continue;
            if (!ids.insert(dash->id).second) {
                out.notes.push_back("dashboard " + std::to_string(dash->id) +
                                    " left out: its id repeats");
                continue;
            }
            out.user.dashboards.push_back(std::move(*dash));
        }
    }
    if (auto apps = profile.find("apps");
        apps != profile.end() && apps->is_array() && !apps->empty()) {
        out.notes.push_back(std::to_string(apps->size()) +
                            " white-label app definition(s) left out: blynkd has none");
    }
    int64_t created = 0;
    for (const model::Dashboard& dash : out.user.dashboards) {
        if (dash.created_at_ms > 0 && (created == 0 || dash.created_at_ms < created))
            created = dash.created_at_ms;
    }
    out.user.created_at_ms = created != 0 ? created : integer_field(*json, "lastModifiedTs");
    return out;
}

UserCounts count(const model::User& user) {
    UserCounts counts;
    counts.dashboards = user.dashboards.size();
    for (const model::Dashboard& dash : user.dashboards) {
        counts.widgets += dash.widgets.size();
        counts.devices += dash.devices.size();
        if (!dash.share_token.empty()) ++counts.share_tokens;
        for (const model::Device& device : dash.devices) {
            counts.pin_values += device.pins.size();
            counts.properties += device.properties.size();
        }
    }
    return counts;
}

}  // namespace blynk::java_import
