#pragma once
// ASCII-only text helpers: case folding (e-mail addresses as the Blynk app lower-cases them,
// protocol words), trimming and placeholder replacement, without the C locale's surprises.

#include <string>
#include <string_view>

namespace blynk::util {

/// `text` with A-Z turned into a-z; every other byte as it is.
inline std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

/// `text` without the spaces and tabs around it (header values, list items, config words).
inline std::string_view trim_blanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

/// Every `what` in `text` replaced by `with`, left to right; a `with` that contains `what` is not
/// replaced again. `what` must not be empty.
inline void replace_all(std::string& text, std::string_view what, std::string_view with) {
    for (size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + with.size()))
        text.replace(at, what.size(), with);
}

}  // namespace blynk::util
