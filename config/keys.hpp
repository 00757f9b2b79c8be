#pragma once
// The one table of server.properties keys: name, type, bounds, default, doc and the Settings field
// each key sets. The properties reader, the command line (--set and the Java launcher flags),
// server.properties.example and docs/configuration.md all follow this table; a unit test keeps the
// example and the docs in sync with it.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/settings.hpp"

namespace blynk::config {

/// Any configuration problem found at start-up (bad value, unknown key, unreadable file, bad
/// command line, refused data folder). The message is meant for the user as it is.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// How a key's text is parsed.
enum class KeyType {
    String,  ///< any text, stored as is
    Uint16,  ///< whole number within [min, max] (max <= 65535)
    Uint32,  ///< whole number within [min, max]
    Bool,    ///< true or false, case-insensitive
    Path,    ///< a file or folder name, stored as is (relative names are relative to the cwd)
    Enum,    ///< one of `choices`, case-insensitive, stored in lower case
};

/// The Settings member a key writes to.
using SettingsField =
    std::variant<std::string Settings::*, std::uint16_t Settings::*, std::uint32_t Settings::*,
                 bool Settings::*, std::filesystem::path Settings::*>;

/// One row of the key table.
struct KeySpec {
    std::string_view name;          ///< the server.properties key, e.g. "http.port"
    KeyType type;                   ///< how the value text is parsed
    std::uint32_t min;              ///< lowest allowed value (numeric types only)
    std::uint32_t max;              ///< highest allowed value (numeric types only)
    std::string_view default_text;  ///< the default, written as it would be in the file
    std::string_view doc;           ///< one line: what the key does and what special values mean
    std::span<const std::string_view> choices;  ///< allowed words (Enum only)
    SettingsField field;                        ///< where the parsed value goes
};

/// Every key blynkd understands, in the order of server.properties.example.
std::span<const KeySpec> key_table();

/// Java server keys accepted for compatibility that have no effect in blynkd (a warning each).
std::span<const std::string_view> ignored_keys();

/// The row for `name`, or nullptr when it is not in the table (ignored keys are not in it).
const KeySpec* find_key(std::string_view name);

/// True when `name` is one of ignored_keys().
bool is_ignored_key(std::string_view name);

/// Parses `value` as `key` describes and stores it in `settings`. An empty value (after trimming)
/// stores the key's default. Returns nullopt on success, otherwise what is allowed, e.g.
/// "expected a whole number from 1 to 65535"; `settings` is then unchanged.
std::optional<std::string> set_value(const KeySpec& key, std::string_view value,
                                     Settings& settings);

/// What the key accepts, e.g. "a whole number from 10 to 60000", "true or false",
/// "one of trace, debug, info", "any text", "a path".
std::string allowed_text(const KeySpec& key);

/// The current value of `key` in `settings`, formatted as it would be written in the file.
std::string value_text(const KeySpec& key, const Settings& settings);

/// "string", "uint16", "uint32", "bool", "path" or "enum".
std::string_view type_name(KeyType type);

/// Levenshtein distance (insertions, deletions, substitutions; each costs 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The known (table or ignored) key closest to `unknown`, if its edit distance is at most
/// max(2, unknown.size() / 3).
std::optional<std::string_view> suggest_key(std::string_view unknown);

/// Applies one `key = value` pair from a source such as "server.properties:7" or "--set".
/// Table keys are parsed and stored; ignored keys add a warning to `warnings`. Throws ConfigError
/// naming `where`, the key and what is allowed, e.g.
/// `server.properties:7: http.port = "80a": expected a whole number from 0 to 65535`, or for an
/// unknown key `server.properties:3: unknown key "http.prot" (did you mean "http.port"?)`.
void apply_key_value(std::string_view where, std::string_view key, std::string_view value,
                     Settings& settings, std::vector<std::string>& warnings);

}  // namespace blynk::config
