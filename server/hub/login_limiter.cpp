#include "server/hub/login_limiter.hpp"

#include <algorithm>
#include <limits>

namespace blynk::hub {
namespace detail {

WindowTable::WindowTable(size_t max_entries) : max_entries_(std::max<size_t>(max_entries, 1)) {}

WindowTable::Clock::time_point WindowTable::expiry_of(const Entry& entry) {
    // A lock outlives the window it was counted in (counting restarts when it ends); an unlocked
    // entry means nothing once its window is over.
    return entry.locked ? entry.locked_until : entry.window_end;
}

void WindowTable::drop_dead(Clock::time_point now) {
    // Each entry is indexed once, so the cost of dropping is paid once per insertion.
    while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
        const std::string* key = by_expiry_.begin()->second;
        by_expiry_.erase(by_expiry_.begin());
        slots_.erase(slots_.find(*key));
    }
}

WindowTable::Entry* WindowTable::find(std::string_view key, Clock::time_point now) {
    drop_dead(now);
    auto it = slots_.find(key);
    return it == slots_.end() ? nullptr : &it->second.entry;
}

WindowTable::Entry& WindowTable::find_or_insert(std::string_view key, Clock::time_point now,
                                                Clock::duration window) {
    drop_dead(now);
    if (auto it = slots_.find(key); it != slots_.end()) return it->second.entry;
    if (slots_.size() >= max_entries_) {
        // Nothing is dead (drop_dead ran): forget the entry closest to dying anyway.
        const std::string* victim = by_expiry_.begin()->second;
        by_expiry_.erase(by_expiry_.begin());
        slots_.erase(slots_.find(*victim));
    }
    auto [it, inserted] = slots_.try_emplace(std::string(key));
    Slot& slot = it->second;
    slot.entry.window_end = now + window;
    slot.expiry = by_expiry_.emplace(expiry_of(slot.entry), &it->first).first;
    return slot.entry;
}

void WindowTable::changed(std::string_view key, const Entry& entry) {
    auto it = slots_.find(key);
    if (it == slots_.end() || &it->second.entry != &entry) return;
    by_expiry_.erase(it->second.expiry);
    it->second.expiry = by_expiry_.emplace(expiry_of(entry), &it->first).first;
}

void WindowTable::erase(std::string_view key) {
    auto it = slots_.find(key);
    if (it == slots_.end()) return;
    by_expiry_.erase(it->second.expiry);
    slots_.erase(it);
}

}  // namespace detail

namespace {

// App e-mail addresses are lower-cased before lookup (server-surface §5.1); folding here as well
// keeps "A@x" and "a@x" from being two budgets of guesses if a caller forgets.
std::string account_key(std::string_view account) {
    std::string key(account);
    for (char& c : key)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return key;
}

std::chrono::seconds remaining_lock(detail::WindowTable& table, std::string_view key,
                                    LoginLimiter::Clock::time_point now) {
    const detail::WindowTable::Entry* entry = table.find(key, now);
    if (entry == nullptr || !entry->locked || entry->locked_until <= now) {
        return std::chrono::seconds{0};
    }
    // Rounded up: half a second left is still "locked", never "0 seconds".
    return std::chrono::ceil<std::chrono::seconds>(entry->locked_until - now);
}

}  // namespace

LoginLimiter::LoginLimiter(LoginLimits limits)
    : limits_(limits), accounts_(limits.max_tracked), addresses_(limits.max_tracked) {}

std::chrono::seconds LoginLimiter::locked_for(std::string_view address, std::string_view account,
                                              Clock::time_point now) {
    const std::string account_name = account_key(account);
    std::lock_guard lock(mutex_);
    return std::max(remaining_lock(addresses_, address, now),
                    remaining_lock(accounts_, account_name, now));
}

bool LoginLimiter::count_failure(detail::WindowTable& table, std::string_view key, uint32_t limit,
                                 Clock::time_point now) {
    detail::WindowTable::Entry& entry = table.find_or_insert(key, now, limits_.window);
    if (entry.count < std::numeric_limits<uint32_t>::max()) ++entry.count;
    bool started = false;
    if (entry.locked) {
        entry.locked_until = std::max(entry.locked_until, now + limits_.lockout);
    } else if (entry.count >= limit) {
        entry.locked = true;
        entry.locked_until = now + limits_.lockout;
        started = true;
    }
    table.changed(key, entry);
    return started;
}

bool LoginLimiter::failed(std::string_view address, std::string_view account,
                          Clock::time_point now) {
    const std::string account_name = account_key(account);
    std::lock_guard lock(mutex_);
    bool started = false;
    if (limits_.per_address > 0) {
        started = count_failure(addresses_, address, limits_.per_address, now) || started;
    }
    if (limits_.per_account > 0) {
        started = count_failure(accounts_, account_name, limits_.per_account, now) || started;
    }
    return started;
}

void LoginLimiter::succeeded(std::string_view /*address*/, std::string_view account) {
    // The address keeps its count: one right password must not reset a spray over many accounts.
    const std::string account_name = account_key(account);
    std::lock_guard lock(mutex_);
    accounts_.erase(account_name);
}

uint32_t LoginLimiter::address_failures(std::string_view address, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    const detail::WindowTable::Entry* entry = addresses_.find(address, now);
    return entry == nullptr ? 0 : entry->count;
}

size_t LoginLimiter::tracked_accounts() const {
    std::lock_guard lock(mutex_);
    return accounts_.size();
}

size_t LoginLimiter::tracked_addresses() const {
    std::lock_guard lock(mutex_);
    return addresses_.size();
}

TokenGuessLimiter::TokenGuessLimiter(TokenGuessLimits limits)
    : answered_at_once_(limits.answered_at_once),
      limiter_(LoginLimits{0, std::max<uint32_t>(limits.per_address, 1), limits.lockout,
                           limits.lockout, limits.max_tracked}) {}

std::chrono::seconds TokenGuessLimiter::blocked_for(std::string_view address,
                                                    Clock::time_point now) {
    return limiter_.locked_for(address, {}, now);
}

TokenGuessLimiter::Verdict TokenGuessLimiter::failed(std::string_view address,
                                                     Clock::time_point now) {
    Verdict verdict;
    verdict.block_started = limiter_.failed(address, {}, now);
    // Read after counting: a concurrent failure from the same address can only lengthen this
    // delay by a step, never shorten it.
    if (!verdict.block_started) {
        verdict.delay = delay_for(limiter_.address_failures(address, now), answered_at_once_);
    }
    return verdict;
}

std::chrono::milliseconds TokenGuessLimiter::delay_for(uint32_t failures,
                                                       uint32_t answered_at_once) {
    if (failures <= answered_at_once) return std::chrono::milliseconds{0};
    const uint32_t doublings = failures - answered_at_once - 1;
    // kFirstDelay << 3 already passes kMaxDelay: no shift ever overflows.
    if (doublings >= 4) return kMaxDelay;
    return std::min(kFirstDelay * (1 << doublings), kMaxDelay);
}

HourlyLimiter::HourlyLimiter(uint32_t per_hour, size_t max_tracked)
    : per_hour_(per_hour), table_(max_tracked) {}

bool HourlyLimiter::try_acquire(std::string_view address, Clock::time_point now) {
    if (per_hour_ == 0) return true;
    std::lock_guard lock(mutex_);
    detail::WindowTable::Entry& entry = table_.find_or_insert(address, now, kWindow);
    if (entry.count >= per_hour_) return false;
    ++entry.count;
    return true;
}

size_t HourlyLimiter::tracked() const {
    std::lock_guard lock(mutex_);
    return table_.size();
}

}  // namespace blynk::hub
