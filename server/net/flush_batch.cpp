#include "server/net/flush_batch.hpp"

namespace blynk::net {
namespace {

struct BatchState {
    int depth = 0;
    std::vector<std::shared_ptr<FlushBatch::Target>> deferred;
};

BatchState& state() {
    thread_local BatchState batch;
    return batch;
}

}  // namespace

FlushBatch::Scope::Scope() {
    ++state().depth;
}

FlushBatch::Scope::~Scope() {
    auto& batch = state();
    if (--batch.depth > 0) return;
    // A flush never queues frames, so the list does not grow while it is walked; it is swapped
    // out anyway so that nothing here depends on that.
    std::vector<std::shared_ptr<Target>> targets;
    targets.swap(batch.deferred);
    for (auto& target : targets)
        target->flush_deferred();
    targets.clear();
    if (batch.deferred.empty()) batch.deferred.swap(targets);  // keep the capacity
}

bool FlushBatch::active() {
    return state().depth > 0;
}

void FlushBatch::defer(std::shared_ptr<Target> target) {
    state().deferred.push_back(std::move(target));
}

}  // namespace blynk::net
