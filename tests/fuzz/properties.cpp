// server.properties (config/properties): any text read and applied to the default settings. A
// malformed file must end in ConfigError (start-up reports it), never in anything else.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/keys.hpp"
#include "config/properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace blynk::config;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        (void)parse_properties(text, "server.properties");
        Settings settings;
        (void)apply_properties(text, "server.properties", settings);
    } catch (const ConfigError&) {
    }
    return 0;
}
