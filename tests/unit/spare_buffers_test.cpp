#include "server/net/spare_buffers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>

namespace blynk::net {
namespace {

const size_t kInline = std::string().capacity();

// Each test runs on a thread of its own: the spares are per thread and start empty there.
template <class Fn>
void on_fresh_thread(Fn fn) {
    std::thread(fn).join();
}

TEST(SpareBuffers, AGivenBufferIsTakenAgainWithItsCapacity) {
    on_fresh_thread([] {
        std::string used(1000, 'x');
        const size_t capacity = used.capacity();
        SpareBuffers::give(used);
        EXPECT_TRUE(used.empty());
        EXPECT_EQ(used.capacity(), kInline) << "the giver keeps no heap memory";

        std::string next;
        SpareBuffers::take(next);
        EXPECT_TRUE(next.empty());
        EXPECT_EQ(next.capacity(), capacity);

        std::string another;
        SpareBuffers::take(another);
        EXPECT_EQ(another.capacity(), kInline) << "one buffer, taken once";
    });
}

TEST(SpareBuffers, ABufferWithMemoryOfItsOwnTakesNothing) {
    on_fresh_thread([] {
        std::string spare(500, 'x');
        SpareBuffers::give(spare);
        std::string own;
        own.reserve(100);
        const size_t own_capacity = own.capacity();
        SpareBuffers::take(own);
        EXPECT_EQ(own.capacity(), own_capacity);
        std::string next;
        SpareBuffers::take(next);
        EXPECT_GE(next.capacity(), 500u) << "the spare is still there";
    });
}

TEST(SpareBuffers, LargeBuffersAreFreedNotKept) {
    on_fresh_thread([] {
        std::string backlog(SpareBuffers::kMaxKept + 1, 'x');
        SpareBuffers::give(backlog);
        EXPECT_EQ(backlog.capacity(), kInline);
        std::string next;
        SpareBuffers::take(next);
        EXPECT_EQ(next.capacity(), kInline);
    });
}

TEST(SpareBuffers, AFewAreKeptAndTheLargestWin) {
    on_fresh_thread([] {
        for (size_t size : {100, 200, 300, 400, 500, 50}) {
            std::string b(size, 'x');
            SpareBuffers::give(b);
            EXPECT_EQ(b.capacity(), kInline);
        }
        size_t smallest = SIZE_MAX;
        int taken = 0;
        for (;;) {
            std::string b;
            SpareBuffers::take(b);
            if (b.capacity() == kInline) break;
            smallest = std::min(smallest, b.capacity());
            ++taken;
        }
        EXPECT_EQ(taken, 4);
        EXPECT_GE(smallest, 200u) << "100 and 50 made way for larger ones";
    });
}

}  // namespace
}  // namespace blynk::net
