#include "server/http/metrics_access.hpp"

#include <charconv>

#include <boost/asio/ip/address.hpp>

#include "common/util/ascii.hpp"
#include "config/keys.hpp"

namespace blynk::http {

AddressAllowList AddressAllowList::parse(std::string_view text) {
    namespace ip = boost::asio::ip;
    AddressAllowList list;
    if (util::trim_blanks(text) == "none") return list;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view entry = util::trim_blanks(text.substr(start, end - start));
        start = end + 1;
        if (entry.empty()) continue;
        const size_t slash = entry.find('/');
        boost::system::error_code ec;
        const auto address = ip::make_address(std::string(entry.substr(0, slash)), ec);
        unsigned prefix = address.is_v4() ? 32 : 128;
        bool ok = !ec;
        if (ok && slash != std::string_view::npos) {
            const std::string_view bits = entry.substr(slash + 1);
            auto [ptr, err] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
            ok = err == std::errc() && ptr == bits.data() + bits.size() && !bits.empty() &&
                 prefix <= (address.is_v4() ? 32u : 128u);
        }
        if (!ok) {
            throw config::ConfigError("metrics.allow: \"" + std::string(entry) +
                                      "\" is neither an IP address nor a range like 10.0.0.0/8");
        }
        // The range's own address, whatever host bits the entry had.
        if (address.is_v4()) {
            list.v4_.push_back(
                ip::network_v4(address.to_v4(), static_cast<unsigned short>(prefix)).canonical());
        } else {
            list.v6_.push_back(
                ip::network_v6(address.to_v6(), static_cast<unsigned short>(prefix)).canonical());
        }
    }
    return list;
}

bool AddressAllowList::allows(std::string_view text) const {
    namespace ip = boost::asio::ip;
    boost::system::error_code ec;
    auto address = ip::make_address(std::string(text), ec);
    if (ec) return false;
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = ip::make_address_v4(ip::v4_mapped, address.to_v6());
    if (address.is_v4()) {
        const ip::network_v4 host(address.to_v4(), 32);
        for (const auto& net : v4_)
            if (host == net || host.is_subnet_of(net)) return true;
        return false;
    }
    const ip::network_v6 host(address.to_v6(), 128);
    for (const auto& net : v6_)
        if (host == net || host.is_subnet_of(net)) return true;
    return false;
}

}  // namespace blynk::http
