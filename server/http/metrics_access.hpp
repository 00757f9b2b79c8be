#pragma once
// Who may read /metrics without signing in: metrics.allow, a comma-separated list of addresses
// and CIDR ranges ("127.0.0.1,::1,10.0.0.0/8"), or "none". Pure.

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

namespace blynk::http {

class AddressAllowList {
public:
    /// An empty list: nobody (only administrators, by their console cookie).
    AddressAllowList() = default;
    /// Parses metrics.allow ("none": nobody); throws config::ConfigError naming the entry that is
    /// neither an address nor a range.
    static AddressAllowList parse(std::string_view text);

    /// Whether `address` (as a session reports it; IPv4-mapped IPv6 counts as IPv4) is allowed.
    bool allows(std::string_view address) const;
    bool empty() const { return v4_.empty() && v6_.empty(); }

private:
    std::vector<boost::asio::ip::network_v4> v4_;
    std::vector<boost::asio::ip::network_v6> v6_;
};

}  // namespace blynk::http
