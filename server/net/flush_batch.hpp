#pragma once
// Frames queued for a session while one read's frames are being dispatched go out together when
// the dispatch ends: one write per session per read instead of one per frame (or, with an
// asynchronous write already in flight, one now and the rest after its completion).
//
// Only sessions on the dispatching strand are ever queued to (the hub routes within one user,
// whose sessions all run on that user's strand), so flushing them when the dispatch ends, on the
// same thread and strand, is safe.

#include <memory>
#include <vector>

namespace blynk::net {

class FlushBatch {
public:
    class Target {
    public:
        /// Writes what is queued; called once per defer(), on the thread that deferred it.
        virtual void flush_deferred() = 0;

    protected:
        ~Target() = default;
    };

    /// Opens a batch on this thread for its lifetime; the outermost scope flushes on exit.
    class Scope {
    public:
        Scope();
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;
    };

    /// True inside a Scope on this thread.
    static bool active();
    /// Flushes `target` when the outermost Scope ends. Call at most once per batch per target.
    static void defer(std::shared_ptr<Target> target);
};

}  // namespace blynk::net
