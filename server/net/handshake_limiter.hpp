#pragma once
// Caps the TLS handshakes in progress per client address, so one host cannot tie up the server
// with unfinished handshakes.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace blynk::net {

class HandshakeLimiter {
public:
    explicit HandshakeLimiter(uint32_t per_address) : per_address_(per_address) {}

    /// Takes a slot for `address`; false when it already has the maximum.
    bool try_acquire(const std::string& address) {
        std::lock_guard lock(mutex_);
        auto& n = in_progress_[address];
        if (n >= per_address_) return false;
        ++n;
        return true;
    }

    void release(const std::string& address) {
        std::lock_guard lock(mutex_);
        auto it = in_progress_.find(address);
        if (it != in_progress_.end() && --it->second == 0) in_progress_.erase(it);
    }

private:
    uint32_t per_address_;
    std::mutex mutex_;
    std::unordered_map<std::string, uint32_t> in_progress_;
};

}  // namespace blynk::net
