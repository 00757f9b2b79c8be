#include "config/ncp_ports.hpp"

#include <termios.h>

#include <charconv>
#include <set>

#include <fmt/format.h>
#include <boost/asio/serial_port_base.hpp>

#include "config/keys.hpp"

namespace blynk::config {
namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

uint32_t number(std::string_view text, std::string_view entry) {
    uint32_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        throw ConfigError(
            fmt::format("ncp.ports: \"{}\" is not a whole number in \"{}\"", text, entry));
    return value;
}

NcpPortConfig parse_entry(std::string_view entry) {
    NcpPortConfig port;
    size_t at = 0;
    bool first = true;
    while (at < entry.size()) {
        const size_t end = std::min(entry.find_first_of(" \t", at), entry.size());
        const std::string_view word = entry.substr(at, end - at);
        at = end + 1;
        if (word.empty()) continue;
        const size_t eq = word.rfind('=');
        if (eq == std::string_view::npos || eq == 0 || eq + 1 == word.size())
            throw ConfigError(fmt::format(
                "ncp.ports: \"{}\" in \"{}\" is not PATH=TOKEN, baud=N or frame=N", word, entry));
        const std::string_view key = word.substr(0, eq), value = word.substr(eq + 1);
        if (first) {
            port.path = key;
            port.token = value;
            first = false;
        } else if (key == "baud") {
            port.baud = number(value, entry);
            if (!serial_baud_supported(port.baud))
                throw ConfigError(fmt::format(
                    "ncp.ports: the serial driver cannot run at {} baud (\"{}\")", value, entry));
        } else if (key == "frame") {
            port.max_frame = number(value, entry);
            if (port.max_frame < 32 || port.max_frame > 1536)
                throw ConfigError(fmt::format(
                    "ncp.ports: frame={} in \"{}\": the frame cap must be 32 to 1536 bytes", value,
                    entry));
        } else {
            throw ConfigError(fmt::format(
                "ncp.ports: unknown option \"{}\" in \"{}\" (baud=N or frame=N)", key, entry));
        }
    }
    return port;
}

}  // namespace

bool serial_baud_supported(uint32_t baud) {
    // Asio maps the rate onto a termios constant; one it has none for is refused here already.
    termios attributes{};
    boost::system::error_code ec;
    boost::asio::serial_port_base::baud_rate(baud).store(attributes, ec);
    return baud > 0 && !ec;
}

std::vector<NcpPortConfig> parse_ncp_ports(std::string_view text) {
    std::vector<NcpPortConfig> ports;
    std::set<std::string, std::less<>> paths;
    size_t at = 0;
    while (at <= text.size()) {
        const size_t end = std::min(text.find(';', at), text.size());
        const std::string_view entry = trim(text.substr(at, end - at));
        at = end + 1;
        if (entry.empty()) continue;
        NcpPortConfig port = parse_entry(entry);
        if (!paths.insert(port.path).second)
            throw ConfigError(fmt::format("ncp.ports: {} is given twice", port.path));
        ports.push_back(std::move(port));
    }
    return ports;
}

}  // namespace blynk::config
