#pragma once
// The Prometheus text exposition format (version 0.0.4), written by hand: a family's # HELP and
// # TYPE lines, then its samples with escaped label values. Pure: text in, text out.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace blynk::http {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

class MetricsText {
public:
    using Label = std::pair<std::string_view, std::string_view>;

    /// Starts a family: `type` is "counter", "gauge", "summary" or "untyped". Counters' names
    /// end in _total by convention (the caller's name is used as given).
    void family(std::string_view name, std::string_view type, std::string_view help);
    /// One sample of the current family (or of `name` for a summary's _sum and _count).
    void sample(std::string_view name, std::initializer_list<Label> labels, double value);
    void sample(std::string_view name, std::initializer_list<Label> labels, uint64_t value);
    void sample(std::string_view name, uint64_t value) { sample(name, {}, value); }
    /// A family with one sample and no labels.
    template <class Value>
    void single(std::string_view name, std::string_view type, std::string_view help, Value value) {
        family(name, type, help);
        // Whole numbers stay exact (size_t is 32 bits on armhf: no ambiguous overload).
        if constexpr (std::is_integral_v<Value>) {
            sample(name, {}, static_cast<uint64_t>(value));
        } else {
            sample(name, {}, static_cast<double>(value));
        }
    }

    const std::string& text() const { return out_; }

private:
    void labels(std::initializer_list<Label> labels);

    std::string out_;
};

/// A label value as the format quotes it: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);
/// HELP text as the format wants it: backslash and newline escaped.
std::string escape_help(std::string_view text);

}  // namespace blynk::http
