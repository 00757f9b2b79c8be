#include "server/net/deadline_wheel.hpp"

#include <algorithm>

namespace blynk::net {

DeadlineWheel::DeadlineWheel(Clock::time_point origin, Clock::duration tick, uint32_t slots)
    : origin_(origin), tick_(tick), slots_(std::max<uint32_t>(slots, 1), nullptr) {}

uint64_t DeadlineWheel::tick_at(Clock::time_point when) const {
    if (when <= origin_) return 0;
    // Rounded up: an entry is never reported before its deadline's tick has passed.
    return static_cast<uint64_t>((when - origin_ + tick_ - Clock::duration(1)) / tick_);
}

void DeadlineWheel::schedule(Entry& entry, Clock::time_point when) {
    std::lock_guard lock(mutex_);
    if (entry.slot_ != kUnscheduled) unlink(entry);
    const uint64_t tick = std::max(tick_at(when), next_tick_);
    const auto slot = static_cast<uint32_t>(tick % slots_.size());
    entry.slot_ = slot;
    entry.prev_ = nullptr;
    entry.next_ = slots_[slot];
    if (entry.next_) entry.next_->prev_ = &entry;
    slots_[slot] = &entry;
    ++size_;
}

void DeadlineWheel::cancel(Entry& entry) {
    std::lock_guard lock(mutex_);
    if (entry.slot_ != kUnscheduled) unlink(entry);
}

void DeadlineWheel::unlink(Entry& entry) {
    if (entry.prev_) {
        entry.prev_->next_ = entry.next_;
    } else {
        slots_[entry.slot_] = entry.next_;
    }
    if (entry.next_) entry.next_->prev_ = entry.prev_;
    entry.prev_ = entry.next_ = nullptr;
    entry.slot_ = kUnscheduled;
    --size_;
}

void DeadlineWheel::advance(Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (now < origin_) return;
    const auto due = static_cast<uint64_t>((now - origin_) / tick_);
    if (due < next_tick_) return;
    // After a long stall one turn covers every slot: later ticks would find them empty.
    const uint64_t ticks = std::min<uint64_t>(due - next_tick_ + 1, slots_.size());
    for (uint64_t t = next_tick_; t < next_tick_ + ticks; ++t) {
        Entry*& head = slots_[t % slots_.size()];
        while (head) {
            Entry& entry = *head;
            unlink(entry);
            entry.deadline_reached();
        }
    }
    next_tick_ = due + 1;
}

size_t DeadlineWheel::size() const {
    std::lock_guard lock(mutex_);
    return size_;
}

}  // namespace blynk::net
