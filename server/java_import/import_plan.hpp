#pragma once
// What `blynkd import-java` does with each user it read, decided before anything is written
// (so --dry-run shows exactly what a real run would do).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/java_import/java_profile.hpp"
#include "server/model/user.hpp"

namespace blynk::java_import {

enum class Action {
    Import,     ///< new to blynkd
    Replace,    ///< exists, differs, and --overwrite was given
    Unchanged,  ///< blynkd already holds exactly this (a second run)
    Refused,    ///< exists and differs, without --overwrite
    Skipped,    ///< the file could not be used (see reason)
};

/// One .user file and what becomes of it.
struct PlannedUser {
    std::filesystem::path file;
    std::optional<JavaUser> user;  ///< empty when the file was skipped before parsing succeeded
    Action action = Action::Skipped;
    std::string reason;  ///< why it was skipped or refused
};

/// Reads every "*.user" file directly in `dir` (where the Java server keeps them; its backup/
/// and deleted/ folders are not read), in name order. A user with several files (one per app)
/// keeps the Blynk app's (else the first); the others are skipped, saying so.
std::vector<PlannedUser> read_user_files(const std::filesystem::path& dir);

/// Decides each readable user's action against the users blynkd holds now (by e-mail).
void decide(std::vector<PlannedUser>& plan, const std::map<std::string, model::User>& existing,
            bool overwrite);

/// True when `stored` already holds what importing `planned` would write: the same password
/// (checked against the stored hash), role, dashboards with every field and widget, devices
/// with their tokens, pin values and properties. Creation times of devices are not compared.
bool same_content(const JavaUser& planned, const model::User& stored);

}  // namespace blynk::java_import
