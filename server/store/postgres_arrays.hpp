#pragma once
// PostgreSQL array literals ('{...}' in text form), so that a batch of rows goes to the server as
// one statement over unnest() instead of a round trip per row. Pure functions.

#include <cstdint>
#include <string>
#include <string_view>

namespace blynk::store {

/// Builds one array literal element by element: {"a","b\"c"}, {1,2}, {"\\x00ff"}.
class PgArrayLiteral {
public:
    /// A text element, quoted, with backslashes and double quotes escaped. (PostgreSQL text
    /// holds no NUL byte; none of the stores' text columns has one.)
    void add_text(std::string_view value);
    /// A bytea element as hex ("\\x..."), so any byte survives.
    void add_bytes(std::string_view value);
    /// An integer element.
    void add_int(int64_t value);
    /// A floating-point element, exactly (shortest round-trip form; NaN, Infinity, -Infinity).
    void add_double(double value);
    /// The literal: "{...}".
    std::string str() const { return text_ + "}"; }

private:
    void separate() { text_ += text_.size() > 1 ? "," : ""; }
    std::string text_ = "{";
};

}  // namespace blynk::store
