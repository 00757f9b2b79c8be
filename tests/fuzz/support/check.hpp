#pragma once
// A fuzz target's own assertion: a broken promise aborts, which libFuzzer reports as a crash
// (and the replay build as a failed test), with what was broken on stderr.
#include <cstdio>
#include <cstdlib>

namespace blynk::fuzz {

inline void check(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    std::abort();
}

}  // namespace blynk::fuzz
