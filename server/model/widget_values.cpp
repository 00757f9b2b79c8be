#include "server/model/widget_values.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "server/model/json_text.hpp"
#include "server/model/widget.hpp"

namespace blynk::model {
namespace {

constexpr size_t kNone = std::string_view::npos;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t skip_space(std::string_view text, size_t at) {
    while (at < text.size() && is_space(text[at]))
        ++at;
    return at;
}

/// End (one past the closing quote) of the string literal whose opening quote is at `at`.
size_t string_end(std::string_view text, size_t at) {
    for (++at; at < text.size(); ++at) {
        if (text[at] == '\\') {
            ++at;  // the escaped character cannot close the string
        } else if (text[at] == '"') {
            return at + 1;
        }
    }
    return kNone;
}

/// End of the value starting at `at`: a string, a whole array/object (counted, not recursed), or
/// a number/true/false/null up to the next delimiter. kNone when it runs off the text.
size_t value_end(std::string_view text, size_t at) {
    if (at >= text.size()) return kNone;
    const char first = text[at];
    if (first == '"') return string_end(text, at);
    if (first == '{' || first == '[') {
        int depth = 0;
        while (at < text.size()) {
            const char c = text[at];
            if (c == '"') {
                at = string_end(text, at);
                if (at == kNone) return kNone;
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return at + 1;
            }
            ++at;
        }
        return kNone;
    }
    while (at < text.size() && text[at] != ',' && text[at] != '}' && text[at] != ']' &&
           !is_space(text[at])) {
        ++at;
    }
    return at == text.size() ? kNone : at;  // a scalar never ends the text inside an object
}

struct Span {
    size_t begin = kNone;
    size_t end = kNone;
    bool found() const { return begin != kNone; }
    std::string_view of(std::string_view text) const { return text.substr(begin, end - begin); }
};

/// Where the members that matter here are, in one object; `close` is its closing brace.
struct ObjectScan {
    Span pin;
    Span pin_type;
    Span value;
    Span pins;
    size_t close = kNone;
};

/// Scans the object whose opening brace is at `open`; false when it is not well formed.
bool scan_object(std::string_view text, size_t open, ObjectScan& scan) {
    size_t at = skip_space(text, open + 1);
    if (at < text.size() && text[at] == '}') {
        scan.close = at;
        return true;
    }
    while (true) {
        if (at >= text.size() || text[at] != '"') return false;
        const size_t key_end = string_end(text, at);
        if (key_end == kNone) return false;
        // Keys compared raw: the ones looked for have nothing to escape, and nlohmann never
        // escapes what needs no escaping.
        const std::string_view key = text.substr(at + 1, key_end - at - 2);
        at = skip_space(text, key_end);
        if (at >= text.size() || text[at] != ':') return false;
        at = skip_space(text, at + 1);
        const size_t end = value_end(text, at);
        if (end == kNone) return false;
        const Span span{at, end};
        if (key == "pin") {
            scan.pin = span;
        } else if (key == "pinType") {
            scan.pin_type = span;
        } else if (key == "value") {
            scan.value = span;
        } else if (key == "pins") {
            scan.pins = span;
        }
        at = skip_space(text, end);
        if (at >= text.size()) return false;
        if (text[at] == '}') {
            scan.close = at;
            return true;
        }
        if (text[at] != ',') return false;
        at = skip_space(text, at + 1);
    }
}

/// The pin an object binds, read as widget.cpp's bound_pin reads it: an integer 0..255 and a
/// pinType name; -1, null or anything else is unbound.
std::optional<PinKey> scanned_pin(std::string_view text, const ObjectScan& scan) {
    if (!scan.pin.found() || !scan.pin_type.found()) return std::nullopt;
    const std::string_view type = scan.pin_type.of(text);
    if (type.size() < 2 || type.front() != '"') return std::nullopt;
    const std::optional<PinType> pin_type = pin_type_from_name(type.substr(1, type.size() - 2));
    const std::optional<uint8_t> number = parse_pin_number(scan.pin.of(text));
    if (!pin_type || !number) return std::nullopt;
    return PinKey{*pin_type, *number};
}

/// One change to the text: [begin, end) becomes the value (a new member when begin == end).
struct Edit {
    size_t begin;
    size_t end;
    const std::string* value;
};

void add_edit(std::string_view text, const ObjectScan& scan, const Device& device,
              std::vector<Edit>& edits) {
    const std::optional<PinKey> pin = scanned_pin(text, scan);
    if (!pin) return;
    auto stored = device.pins.find(*pin);
    if (stored == device.pins.end()) return;
    if (scan.value.found()) {
        edits.push_back({scan.value.begin, scan.value.end, &stored->second});
    } else {
        edits.push_back({scan.close, scan.close, &stored->second});
    }
}

/// Edits for the objects of a "pins" array; false when it is not well formed.
bool add_stream_edits(std::string_view text, Span pins, const Device& device,
                      std::vector<Edit>& edits) {
    if (text[pins.begin] != '[') return true;  // not an array: nothing the app reads as streams
    size_t at = skip_space(text, pins.begin + 1);
    if (at < text.size() && text[at] == ']') return true;
    while (true) {
        const size_t end = value_end(text, at);
        if (end == kNone) return false;
        if (text[at] == '{') {
            ObjectScan stream;
            if (!scan_object(text, at, stream)) return false;
            add_edit(text, stream, device, edits);
        }
        at = skip_space(text, end);
        if (at >= text.size()) return false;
        if (text[at] == ']') return true;
        if (text[at] != ',') return false;
        at = skip_space(text, at + 1);
    }
}

}  // namespace

void append_widget_with_values(std::string& out, std::string_view widget_json,
                               const Device& device) {
    const size_t open = skip_space(widget_json, 0);
    ObjectScan widget;
    std::vector<Edit> edits;
    if (open >= widget_json.size() || widget_json[open] != '{' ||
        !scan_object(widget_json, open, widget)) {
        out += widget_json;
        return;
    }
    add_edit(widget_json, widget, device, edits);
    if (widget.pins.found() && !add_stream_edits(widget_json, widget.pins, device, edits)) {
        out += widget_json;
        return;
    }
    std::sort(edits.begin(), edits.end(),
              [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    size_t copied = 0;
    for (const Edit& edit : edits) {
        out.append(widget_json.substr(copied, edit.begin - copied));
        if (edit.begin == edit.end) {
            // A new last member; an object that binds a pin is never empty, so a comma leads.
            out += ",\"value\":";
        }
        append_json_string(out, *edit.value);
        copied = edit.end;
    }
    out.append(widget_json.substr(copied));
}

}  // namespace blynk::model
