// The command line (config/cli): the input's lines are the arguments after argv[0]. A bad
// command line must end in ConfigError (main prints it with a usage hint), never in anything else.
// Nothing is read from disk here: parse_command_line only takes the words apart.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/cli.hpp"
#include "config/keys.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace blynk::config;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> args;
    size_t start = 0;
    while (start < text.size()) {
        const size_t end = std::min(text.find('\n', start), text.size());
        args.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    try {
        (void)parse_command_line(args);
    } catch (const ConfigError&) {
    }
    return 0;
}
