#pragma once
// How often a text (a log line's words, usually) occurs in another, overlaps included.

#include <cstddef>
#include <string>

namespace blynk::test {

inline size_t occurrences(const std::string& haystack, const std::string& needle) {
    size_t n = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

}  // namespace blynk::test
