#pragma once
// ASCII-only case folding: e-mail addresses as the Blynk app lower-cases them (Java's
// toLowerCase on ASCII addresses) and protocol words, without the C locale's surprises.

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

}  // namespace blynk::util
