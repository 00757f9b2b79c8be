#pragma once
// Coarse deadlines for very many connections: a hashed wheel of intrusive lists, advanced by one
// periodic timer, instead of a steady_timer and a pending wait operation per connection (~320
// bytes each). Pure bookkeeping: whoever owns the wheel calls advance() every tick.
//
// An entry is reported at the first tick at or after its deadline, or a whole number of wheel
// turns earlier when the deadline lies beyond one turn. The owner keeps its own deadline and
// re-checks it when reported (scheduling again if it moved), so traffic that pushes an idle
// deadline back never touches the wheel.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

namespace blynk::net {

class DeadlineWheel {
public:
    using Clock = std::chrono::steady_clock;

    /// Embedded in whatever has a deadline.
    class Entry {
    public:
        Entry() = default;
        Entry(const Entry&) = delete;
        Entry& operator=(const Entry&) = delete;

        /// Called on the wheel's thread with the wheel locked, once, when the deadline is due;
        /// the entry is no longer scheduled. It must only hand work over (post it), never call
        /// back into the wheel. An owner cancels its entry in its destructor, so it is alive here.
        virtual void deadline_reached() = 0;

    protected:
        ~Entry() = default;

    private:
        friend class DeadlineWheel;
        Entry* prev_ = nullptr;
        Entry* next_ = nullptr;
        uint32_t slot_ = kUnscheduled;
    };

    static constexpr Clock::duration kDefaultTick = std::chrono::milliseconds(100);

    /// `tick` is the resolution; `slots` x `tick` is one turn of the wheel. Time is counted from
    /// `origin`.
    explicit DeadlineWheel(Clock::time_point origin = Clock::now(),
                           Clock::duration tick = kDefaultTick, uint32_t slots = 1024);

    /// (Re)schedules `entry` for `when`. Thread-safe.
    void schedule(Entry& entry, Clock::time_point when);
    /// Unschedules `entry` if it is scheduled. Thread-safe.
    void cancel(Entry& entry);

    /// Reports every entry due at `now`, i.e. scheduled for a tick at or before it.
    void advance(Clock::time_point now);
    Clock::duration tick() const { return tick_; }
    /// Entries scheduled.
    size_t size() const;

private:
    static constexpr uint32_t kUnscheduled = UINT32_MAX;

    uint64_t tick_at(Clock::time_point when) const;
    void unlink(Entry& entry);

    const Clock::time_point origin_;
    const Clock::duration tick_;
    mutable std::mutex mutex_;
    std::vector<Entry*> slots_;  ///< list heads
    uint64_t next_tick_ = 0;     ///< the first tick advance() has not reported yet
    size_t size_ = 0;
};

}  // namespace blynk::net
