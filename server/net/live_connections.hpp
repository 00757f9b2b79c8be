#pragma once
// Every open connection of the process, from accept to close (detection, TLS handshake, sessions),
// so that a stopping server can close them all instead of leaving them to the io_context's
// destructor.

#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace blynk::net {

class LiveConnections {
public:
    /// What a connection was when the server closed it, for the stop summary.
    enum class Stage { Session, Http, Unfinished, kCount };

    class Member {
    public:
        /// Closes the connection without a line of its own (the server logs one summary).
        /// Called with the I/O threads stopped.
        virtual Stage close_for_shutdown() = 0;

    protected:
        /// Leaves the registry (defined below, after live_connections()).
        ~Member();
        /// Joins the registry; `owner` is the connection's own shared_ptr, so the registry can
        /// tell a connection being destroyed from a live one.
        void join_live_connections(std::shared_ptr<void> owner);
    };

    using Counts = std::array<size_t, static_cast<size_t>(Stage::kCount)>;

    /// Registers `member` until remove(); after close_all() a new member is closed at once (a
    /// handshake that finished during the drain hands its connection to a new session).
    void add(const std::shared_ptr<Member>& member) {
        {
            std::lock_guard lock(mutex_);
            if (!closed_) {
                members_.emplace(member.get(), member);
                return;
            }
        }
        member->close_for_shutdown();
    }

    void remove(Member* member) {
        std::lock_guard lock(mutex_);
        members_.erase(member);
    }

    /// Closes every connection; returns how many of each stage there were.
    Counts close_all() {
        std::unordered_map<Member*, std::weak_ptr<Member>> members;
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
            members.swap(members_);
        }
        Counts counts{};
        for (auto& [raw, weak] : members) {
            if (auto member = weak.lock())
                ++counts[static_cast<size_t>(member->close_for_shutdown())];
        }
        return counts;
    }

private:
    std::mutex mutex_;
    std::unordered_map<Member*, std::weak_ptr<Member>> members_;
    bool closed_ = false;
};

/// The process's registry (one server per process).
inline LiveConnections& live_connections() {
    static LiveConnections connections;
    return connections;
}

inline LiveConnections::Member::~Member() {
    live_connections().remove(this);
}

inline void LiveConnections::Member::join_live_connections(std::shared_ptr<void> owner) {
    live_connections().add(std::shared_ptr<Member>(std::move(owner), this));
}

}  // namespace blynk::net
