#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "server/net/flush_batch.hpp"

namespace blynk::net {
namespace {

struct Recorder final : FlushBatch::Target {
    Recorder(std::vector<std::string>& log, std::string name) : log(log), name(std::move(name)) {}
    void flush_deferred() override { log.push_back(name); }
    std::vector<std::string>& log;
    std::string name;
};

TEST(FlushBatch, InactiveOutsideAScope) {
    EXPECT_FALSE(FlushBatch::active());
    {
        const FlushBatch::Scope scope;
        EXPECT_TRUE(FlushBatch::active());
    }
    EXPECT_FALSE(FlushBatch::active());
}

TEST(FlushBatch, FlushesEachDeferredTargetOnceWhenTheOutermostScopeEnds) {
    std::vector<std::string> log;
    auto a = std::make_shared<Recorder>(log, "a");
    auto b = std::make_shared<Recorder>(log, "b");
    {
        const FlushBatch::Scope outer;
        FlushBatch::defer(a);
        {
            const FlushBatch::Scope inner;
            FlushBatch::defer(b);
        }
        EXPECT_TRUE(log.empty());  // the inner scope does not flush
        EXPECT_TRUE(FlushBatch::active());
    }
    EXPECT_EQ(log, (std::vector<std::string>{"a", "b"}));  // in the order deferred
    {
        const FlushBatch::Scope next;  // a new batch starts empty
    }
    EXPECT_EQ(log.size(), 2u);
}

TEST(FlushBatch, KeepsTargetsAliveUntilFlushed) {
    std::vector<std::string> log;
    {
        const FlushBatch::Scope scope;
        auto a = std::make_shared<Recorder>(log, "a");
        FlushBatch::defer(a);
        a.reset();  // the batch holds the last reference
    }
    EXPECT_EQ(log, std::vector<std::string>{"a"});
}

}  // namespace
}  // namespace blynk::net
