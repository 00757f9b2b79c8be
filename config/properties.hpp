#pragma once
// Reader for Java-style .properties files (the subset people write in server.properties):
// `key=value`, `key: value` or `key value`; `#` and `!` comment lines; blank lines; whitespace
// around keys and values trimmed; a line ending in an odd number of backslashes continues on the
// next line; escapes \t \n \r \f \uXXXX and backslash-anything (= the character itself).
// Every pair is applied through the key table (keys.hpp), so errors carry file, line and key.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/keys.hpp"
#include "config/settings.hpp"

namespace blynk::config {

/// One `key = value` pair as read from properties text, escapes already decoded.
struct PropertyLine {
    std::size_t line = 0;  ///< 1-based line where the (possibly continued) entry starts
    std::string key;       ///< the key, trimmed
    std::string value;     ///< the value, trimmed; empty when the line has no value
};

/// Splits properties text into its entries, in file order (duplicates kept). Syntax only: keys
/// are not checked. Throws ConfigError `<source_name>:<line>: ...` on a malformed \u escape.
std::vector<PropertyLine> parse_properties(std::string_view text, std::string_view source_name);

/// Applies every entry of `text` to `settings` (a later duplicate wins, an empty value means the
/// key's default). Returns warnings for keys accepted for compatibility only. Throws ConfigError
/// naming `source_name`, the line, the key and what is allowed, e.g.
/// `server.properties:7: http.port = "80a": expected a whole number from 0 to 65535`.
std::vector<std::string> apply_properties(std::string_view text, std::string_view source_name,
                                          Settings& settings);

/// Reads the file at `path` and applies it on top of `base`. Warnings are appended to `warnings`
/// when it is given. Throws ConfigError when the file cannot be read or has an error; messages
/// name the file as `path` is written.
Settings load_properties(const std::filesystem::path& path, Settings base,
                         std::vector<std::string>* warnings = nullptr);

}  // namespace blynk::config
