#include "server/net/spare_buffers.hpp"

#include <array>

namespace blynk::net {
namespace {

// Four: the sessions one dispatch writes to at once (a user's apps and devices) rarely exceed
// it, and four 64 KiB buffers per thread at most is a bound worth having.
constexpr size_t kSlots = 4;

struct Spares {
    std::array<std::string, kSlots> slots;
    size_t count = 0;  ///< slots[0, count) hold a buffer
};

Spares& spares() {
    thread_local Spares s;
    return s;
}

}  // namespace

void SpareBuffers::take(std::string& out) {
    auto& s = spares();
    // Only into a buffer without heap memory: the slot gets its inline storage back.
    if (s.count == 0 || out.capacity() > std::string().capacity()) return;
    out.swap(s.slots[--s.count]);
}

void SpareBuffers::give(std::string& buffer) {
    buffer.clear();
    const size_t capacity = buffer.capacity();
    if (capacity > std::string().capacity() && capacity <= kMaxKept) {
        auto& s = spares();
        if (s.count < kSlots) {
            s.slots[s.count++].swap(buffer);  // a free slot holds no heap memory
            return;
        }
        // All kept: replace the smallest if this one is larger (the one freed below).
        std::string* smallest = &s.slots[0];
        for (auto& slot : s.slots)
            if (slot.capacity() < smallest->capacity()) smallest = &slot;
        if (smallest->capacity() < capacity) smallest->swap(buffer);
    }
    std::string().swap(buffer);
}

}  // namespace blynk::net
