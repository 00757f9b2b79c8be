#pragma once
// A few emptied write buffers kept per thread, so that a session's output queue does not
// allocate per flush. A busy session's queue grows to a few hundred bytes in every read's
// dispatch (16 relayed frames, one at a time) and is emptied by the write at its end; a session
// gives its buffer up then, so that idle sessions hold none (design principle 8). Without the
// spares every flush re-grew the queue from nothing: five or six reallocations and copies per
// device read in `fanout` (malloc, free and memmove were 4 % of the server's samples).
//
// Any thread may give back a buffer another thread took: they are plain heap blocks.

#include <cstddef>
#include <string>

namespace blynk::net {

class SpareBuffers {
public:
    /// Buffers larger than this are freed, not kept (a slow reader's backlog).
    static constexpr size_t kMaxKept = 64 * 1024;

    /// Gives `out` (empty, with no capacity of its own beyond the inline one) this thread's
    /// largest spare, if there is one.
    static void take(std::string& out);

    /// Takes `buffer`'s capacity back (its contents are dropped) and leaves it empty and without
    /// heap memory.
    static void give(std::string& buffer);
};

}  // namespace blynk::net
