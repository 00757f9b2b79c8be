#include "server/java_import/import_plan.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/util/password.hpp"

namespace blynk::java_import {
namespace {

constexpr std::string_view kUserFileSuffix = ".user";

std::optional<std::string> read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return text.str();
}

bool same_widgets(const model::Dashboard& a, const model::Dashboard& b) {
    return std::equal(
        a.widgets.begin(), a.widgets.end(), b.widgets.begin(), b.widgets.end(),
        [](const model::Widget& x, const model::Widget& y) { return x.json == y.json; });
}

bool same_devices(std::vector<model::Device> planned, const std::vector<model::Device>& stored) {
    std::sort(planned.begin(), planned.end(),
              [](const model::Device& x, const model::Device& y) { return x.id < y.id; });
    return std::equal(planned.begin(), planned.end(), stored.begin(), stored.end(),
                      [](const model::Device& p, const model::Device& s) {
                          // A device without a token got a fresh one: any token matches it.
                          return p.id == s.id && p.name == s.name && p.board_type == s.board_type &&
                                 p.extra == s.extra && (p.token.empty() || p.token == s.token) &&
                                 p.pins == s.pins && p.properties == s.properties;
                      });
}

bool same_dashboard(const model::Dashboard& p, const model::Dashboard& s) {
    return p.id == s.id && p.name == s.name && p.created_at_ms == s.created_at_ms &&
           p.updated_at_ms == s.updated_at_ms && p.active == s.active &&
           p.app_connected_on == s.app_connected_on && p.notifications_off == s.notifications_off &&
           p.shared == s.shared && p.share_token == s.share_token && p.settings == s.settings &&
           same_widgets(p, s) && same_devices(p.devices, s.devices);
}

bool same_password(const JavaUser& planned, const model::User& stored) {
    if (planned.app_password.empty()) return stored.password_kind == model::PasswordKind::None;
    return stored.password_kind == model::PasswordKind::App &&
           util::verify_password(planned.app_password, stored.password_hash);
}

}  // namespace

std::vector<PlannedUser> read_user_files(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && name.size() > kUserFileSuffix.size() &&
            name.ends_with(kUserFileSuffix)) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<PlannedUser> plan;
    for (const auto& file : files) {
        PlannedUser planned;
        planned.file = file;
        std::optional<std::string> text = read_text(file);
        std::string error;
        if (!text) {
            planned.reason = "cannot be read";
        } else if (auto user = parse_java_user(*text, error)) {
            planned.user = std::move(*user);
        } else {
            planned.reason = error;
        }
        plan.push_back(std::move(planned));
    }
    // One account per e-mail: the Blynk app's profile wins over white-label ones.
    for (PlannedUser& candidate : plan) {
        if (!candidate.user) continue;
        for (const PlannedUser& other : plan) {
            if (&other == &candidate || !other.user ||
                other.user->user.email != candidate.user->user.email) {
                continue;
            }
            const bool other_first = other.file < candidate.file;
            const bool other_blynk = other.user->app_name == kBlynkAppName;
            const bool mine_blynk = candidate.user->app_name == kBlynkAppName;
            if (other_blynk && !mine_blynk) {
                candidate.reason = "another profile of " + other.user->user.email + " (" +
                                   other.file.filename().string() +
                                   ", the Blynk app's) is imported; blynkd keeps one account per "
                                   "e-mail";
            } else if (other_blynk == mine_blynk && other_first) {
                candidate.reason = "another profile of " + other.user->user.email + " (" +
                                   other.file.filename().string() +
                                   ") is imported; blynkd keeps one account per e-mail";
            }
        }
        if (!candidate.reason.empty()) candidate.user.reset();
    }
    return plan;
}

void decide(std::vector<PlannedUser>& plan, const std::map<std::string, model::User>& existing,
            bool overwrite) {
    for (PlannedUser& planned : plan) {
        if (!planned.user) {
            planned.action = Action::Skipped;
            continue;
        }
        auto stored = existing.find(planned.user->user.email);
        if (stored == existing.end()) {
            planned.action = Action::Import;
        } else if (same_content(*planned.user, stored->second)) {
            planned.action = Action::Unchanged;
        } else if (overwrite) {
            planned.action = Action::Replace;
        } else {
            planned.action = Action::Refused;
            planned.reason = "blynkd already has a user " + stored->first +
                             " with other data; --overwrite replaces it (with everything it "
                             "holds now)";
        }
    }
}

bool same_content(const JavaUser& planned, const model::User& stored) {
    std::vector<model::Dashboard> dashes = planned.user.dashboards;
    std::sort(dashes.begin(), dashes.end(),
              [](const model::Dashboard& x, const model::Dashboard& y) { return x.id < y.id; });
    return planned.user.admin == stored.admin && same_password(planned, stored) &&
           std::equal(dashes.begin(), dashes.end(), stored.dashboards.begin(),
                      stored.dashboards.end(), same_dashboard);
}

}  // namespace blynk::java_import
