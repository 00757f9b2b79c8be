#pragma once
// One user of a Java blynk-server, read from its "<email>.<appName>.user" file (the JSON the
// Java server writes, server-surface.md §7.1): the account, dashboards with their widgets (kept
// as written), devices with their tokens, share tokens, and the latest pin values. Pure: no
// I/O, no store.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/model/user.hpp"

namespace blynk::java_import {

/// The app the Java server's own Blynk app logs in as; other names are white-label apps.
inline constexpr std::string_view kBlynkAppName = "Blynk";

struct JavaUser {
    std::string app_name;  ///< "appName" ("Blynk" when absent)
    /// "pass": what the Blynk app sends at login, Base64(SHA-256(password + SHA-256(email))),
    /// which the Java server stored as it came. Empty when the account has none (Facebook).
    std::string app_password;
    /// E-mail (lower-cased, as the app logs in), administrator ("isSuperAdmin"), creation time
    /// (the oldest dashboard's, else "lastModifiedTs"), dashboards with every field, devices with
    /// their tokens (empty when the file had none), share tokens, pin values and properties.
    /// No password hash: the caller makes one from app_password.
    model::User user;
    /// What was left out or changed, one line each ("dashboard 3 left out: ...").
    std::vector<std::string> notes;
};

/// Parses the text of a .user file. nullopt with `error` when it is not a user this importer can
/// take (not JSON, no usable e-mail, "profile" or "dashBoards" of the wrong type). A dashboard
/// that cannot be read, or whose id repeats, is left out with a note; so are values that cannot
/// be placed (java_pins.hpp).
std::optional<JavaUser> parse_java_user(std::string_view text, std::string& error);

/// Numbers for a report: dashboards, widgets (top level), devices, pin values, properties and
/// share tokens of a user.
struct UserCounts {
    size_t dashboards = 0;
    size_t widgets = 0;
    size_t devices = 0;
    size_t pin_values = 0;
    size_t properties = 0;
    size_t share_tokens = 0;
};
UserCounts count(const model::User& user);

}  // namespace blynk::java_import
