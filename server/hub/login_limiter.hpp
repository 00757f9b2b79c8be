#pragma once
// Limits on app logins and registrations, checked before any password hashing so that guessing
// costs the server (and the guesser) nothing but a table lookup. Pure arithmetic over
// caller-supplied steady-clock times; thread-safe (one mutex each), since app sessions on every
// strand share one limiter.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace blynk::hub {

namespace detail {

/// Counts per key in fixed windows, with an optional lock, bounded in size. Not thread-safe: the
/// limiters below guard it. An entry is dead (dropped on the next lookup or insertion) once its
/// window has ended and it is not locked, or once its lock has ended.
class WindowTable {
public:
    using Clock = std::chrono::steady_clock;

    struct Entry {
        uint32_t count = 0;                ///< events in the window that ends at window_end
        Clock::time_point window_end{};    ///< the window is [window_end - window, window_end)
        bool locked = false;               ///< set when count reached the limit
        Clock::time_point locked_until{};  ///< meaningful when locked
    };

    /// At most `max_entries` keys (at least 1) are tracked.
    explicit WindowTable(size_t max_entries);

    /// The live entry for `key`, or nullptr. Dead entries are dropped first.
    Entry* find(std::string_view key, Clock::time_point now);
    /// The live entry for `key`, or a new one with count 0 and a window from `now` to
    /// `now + window`. When the table is full, dead entries go first, else the entry that would
    /// expire soonest (the oldest window or the shortest lock). A live entry is either unlocked
    /// in a running window or locked with time left on its lock.
    Entry& find_or_insert(std::string_view key, Clock::time_point now, Clock::duration window);
    /// Re-files `entry` (returned by find or find_or_insert for `key`) after a change of
    /// window_end, locked or locked_until.
    void changed(std::string_view key, const Entry& entry);
    /// Forgets `key`.
    void erase(std::string_view key);
    /// Keys tracked now (dead ones included until the next lookup drops them).
    size_t size() const { return slots_.size(); }

private:
    struct KeyHash {
        using is_transparent = void;
        size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
    };
    // Ordered by the time each entry dies; the key pointer points into the slot's node, which
    // stays put across rehashing.
    using ExpiryIndex = std::set<std::pair<Clock::time_point, const std::string*>>;
    struct Slot {
        Entry entry;
        ExpiryIndex::iterator expiry;
    };

    static Clock::time_point expiry_of(const Entry& entry);
    void drop_dead(Clock::time_point now);

    size_t max_entries_;
    std::unordered_map<std::string, Slot, KeyHash, std::equal_to<>> slots_;
    ExpiryIndex by_expiry_;
};

}  // namespace detail

/// Limits on failed app logins.
struct LoginLimits {
    uint32_t per_account = 5;           ///< failures per account per window; 0 = no limit
    uint32_t per_address = 20;          ///< failures per client address per window; 0 = no limit
    std::chrono::seconds window{900};   ///< fixed window, starting at its first failure
    std::chrono::seconds lockout{900};  ///< how long a lock lasts after the last failure
    size_t max_tracked = 100000;        ///< entries per table (accounts, addresses)
};

/// Failed-login accounting per client address and per account. Failures are counted in a fixed
/// window that starts at the first failure; the failure that brings a count to its limit locks
/// the account (or address) for `lockout`; a failure during a lock (a race between the check and
/// the verdict) extends it to `lockout` after that failure. When a lock ends, counting starts
/// afresh. Account names are compared without ASCII case, as the app's e-mail addresses are.
class LoginLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit LoginLimiter(LoginLimits limits);

    /// Zero when a login attempt may be checked now; otherwise how long the address or the
    /// account stays locked (the longer of the two, rounded up to whole seconds).
    std::chrono::seconds locked_for(std::string_view address, std::string_view account,
                                    Clock::time_point now);
    /// A wrong password (or unknown account): counts against both; returns true when this
    /// failure started a lockout of either (to log once).
    bool failed(std::string_view address, std::string_view account, Clock::time_point now);
    /// A correct password: clears the account's failures (the address keeps its count).
    void succeeded(std::string_view address, std::string_view account);
    /// Failures counted against `address` in its current window (0 when none).
    uint32_t address_failures(std::string_view address, Clock::time_point now);

    /// Accounts tracked now (for metrics and tests).
    size_t tracked_accounts() const;
    /// Client addresses tracked now (for metrics and tests).
    size_t tracked_addresses() const;

private:
    bool count_failure(detail::WindowTable& table, std::string_view key, uint32_t limit,
                       Clock::time_point now);

    const LoginLimits limits_;
    mutable std::mutex mutex_;
    detail::WindowTable accounts_;
    detail::WindowTable addresses_;
};

/// Limits on wrong device tokens from one client address.
struct TokenGuessLimits {
    uint32_t answered_at_once = 9;      ///< wrong tokens per window answered without delay
    uint32_t per_address = 100;         ///< wrong tokens per window that block the address
    std::chrono::seconds lockout{900};  ///< the window, and how long a block lasts
    size_t max_tracked = 100000;        ///< addresses tracked
};

/// Wrong hardware tokens per client address, on LoginLimiter's address table (no accounts: a
/// token names no account). In a window that starts at an address's first wrong token, the
/// first `answered_at_once` are answered at once, so that a board with a typo still hears why;
/// later ones wait kFirstDelay, doubling up to kMaxDelay (under the default login deadline), so
/// that a scanner's answers slow down; the one that reaches `per_address` blocks the address for
/// `lockout`. A right token does not clear the count: one known token must not reset a scan.
class TokenGuessLimiter {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds kFirstDelay{1000};
    static constexpr std::chrono::milliseconds kMaxDelay{8000};

    struct Verdict {
        std::chrono::milliseconds delay{0};  ///< before the INVALID_TOKEN answer
        bool block_started = false;          ///< this failure blocked the address (log once)
    };

    explicit TokenGuessLimiter(TokenGuessLimits limits);

    /// Zero when `address` may try a token now; otherwise how long its block lasts.
    std::chrono::seconds blocked_for(std::string_view address, Clock::time_point now);
    /// A wrong (unknown or malformed) token from `address`.
    Verdict failed(std::string_view address, Clock::time_point now);
    /// The delay for the `failures`-th wrong token of a window (pure arithmetic).
    static std::chrono::milliseconds delay_for(uint32_t failures, uint32_t answered_at_once);

    /// Client addresses tracked now (for metrics and tests).
    size_t tracked_addresses() const { return limiter_.tracked_addresses(); }

private:
    const uint32_t answered_at_once_;
    LoginLimiter limiter_;
};

/// At most `per_hour` acquisitions per client address in a fixed one-hour window that starts at
/// the address's first acquisition (REGISTER and `hourly.registrations.limit`). Thread-safe.
class HourlyLimiter {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::hours kWindow{1};

    /// `per_hour` 0 = unlimited; at most `max_tracked` addresses are remembered (when full, the
    /// oldest window is forgotten first).
    explicit HourlyLimiter(uint32_t per_hour, size_t max_tracked = 100000);

    /// True (and counted) when `address` is under its hourly limit; false (not counted) when not.
    bool try_acquire(std::string_view address, Clock::time_point now);

    /// Addresses tracked now (for metrics and tests).
    size_t tracked() const;

private:
    const uint32_t per_hour_;
    mutable std::mutex mutex_;
    detail::WindowTable table_;
};

}  // namespace blynk::hub
