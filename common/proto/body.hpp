#pragma once
// Helpers over NUL-separated bodies ("vw\05\023.5"). Pure, allocation-free where it matters.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace blynk::proto {

inline constexpr char kSep = '\0';

/// The body split into at most N fields: the last one keeps the rest verbatim (NULs included),
/// like the Java server's split3. `count` is how many fields were present.
template <size_t N>
struct SplitFields {
    std::array<std::string_view, N> field{};
    size_t count = 0;
};

template <size_t N>
SplitFields<N> split_n(std::string_view body) {
    SplitFields<N> out;
    if (body.empty()) return out;
    size_t start = 0;
    while (out.count + 1 < N) {
        size_t pos = body.find(kSep, start);
        if (pos == std::string_view::npos) break;
        out.field[out.count++] = body.substr(start, pos - start);
        start = pos + 1;
    }
    out.field[out.count++] = body.substr(start);
    return out;
}

/// All fields, trailing empty fields dropped (Java String.split("\0") semantics).
std::vector<std::string_view> split_all(std::string_view body);

/// Joins fields with NUL separators.
std::string join(const std::vector<std::string_view>& fields);

/// Java String.trim(): removes leading and trailing bytes <= 0x20 (spaces, CR/LF, NUL).
std::string_view trim_java(std::string_view s);

}  // namespace blynk::proto
