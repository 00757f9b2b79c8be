#include "server/http/metrics_text.hpp"

#include <cmath>

#include <spdlog/fmt/fmt.h>

namespace blynk::http {

namespace {

/// Backslash and newline escaped, and the double quote when `quote`.
std::string escape(std::string_view text, bool quote) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '\\' || (quote && c == '"')) {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    return escape(value, true);
}

std::string escape_help(std::string_view text) {
    return escape(text, false);
}

void MetricsText::family(std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name,
                   escape_help(help), name, type);
}

void MetricsText::labels(std::initializer_list<Label> labels) {
    if (labels.size() == 0) return;
    out_ += '{';
    bool first = true;
    for (const auto& [name, value] : labels) {
        if (!first) out_ += ',';
        first = false;
        fmt::format_to(std::back_inserter(out_), "{}=\"{}\"", name, escape_label_value(value));
    }
    out_ += '}';
}

void MetricsText::sample(std::string_view name, std::initializer_list<Label> l, uint64_t value) {
    out_ += name;
    labels(l);
    fmt::format_to(std::back_inserter(out_), " {}\n", value);
}

void MetricsText::sample(std::string_view name, std::initializer_list<Label> l, double value) {
    out_ += name;
    labels(l);
    if (std::isnan(value)) {
        out_ += " NaN\n";
    } else if (std::isinf(value)) {
        out_ += value > 0 ? " +Inf\n" : " -Inf\n";
    } else {
        fmt::format_to(std::back_inserter(out_), " {}\n", value);
    }
}

}  // namespace blynk::http
