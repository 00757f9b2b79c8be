#pragma once
// Caps what one client address may hold at once (TLS handshakes in progress, connections not yet
// logged in), so one host cannot tie up the server's handshakes or file descriptors.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace blynk::net {

class AddressLimiter {
public:
    /// One held place; gives it back when released or destroyed. Empty when default-constructed.
    class Slot {
    public:
        Slot() = default;
        Slot(Slot&& other) noexcept
            : limiter_(std::exchange(other.limiter_, nullptr)),
              address_(std::move(other.address_)) {}
        Slot& operator=(Slot&& other) noexcept {
            if (this != &other) {
                release();
                limiter_ = std::exchange(other.limiter_, nullptr);
                address_ = std::move(other.address_);
            }
            return *this;
        }
        ~Slot() { release(); }

        explicit operator bool() const { return limiter_ != nullptr; }
        void release() {
            if (auto* limiter = std::exchange(limiter_, nullptr)) limiter->release(address_);
        }

    private:
        friend class AddressLimiter;
        Slot(AddressLimiter* limiter, std::string address)
            : limiter_(limiter), address_(std::move(address)) {}

        AddressLimiter* limiter_ = nullptr;
        std::string address_;
    };

    explicit AddressLimiter(uint32_t per_address) : per_address_(per_address) {}

    /// A place for `address`; an empty slot when it already holds the maximum.
    Slot try_acquire(const std::string& address) {
        std::lock_guard lock(mutex_);
        auto& n = in_use_[address];
        if (n >= per_address_) return {};
        ++n;
        return Slot(this, address);
    }

    uint32_t per_address() const { return per_address_; }

private:
    void release(const std::string& address) {
        std::lock_guard lock(mutex_);
        auto it = in_use_.find(address);
        if (it != in_use_.end() && --it->second == 0) in_use_.erase(it);
    }

    uint32_t per_address_;
    std::mutex mutex_;
    std::unordered_map<std::string, uint32_t> in_use_;
};

}  // namespace blynk::net
