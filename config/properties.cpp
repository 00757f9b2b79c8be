#include "config/properties.hpp"

#include <fstream>
#include <iterator>

namespace blynk::config {
namespace {

// java.util.Properties treats space, tab and form feed as white space inside a line.
bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\f';
}

std::string_view skip_leading_blanks(std::string_view s) {
    while (!s.empty() && is_blank(s.front()))
        s.remove_prefix(1);
    return s;
}

bool ends_in_odd_backslashes(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && s[s.size() - 1 - n] == '\\')
        ++n;
    return n % 2 == 1;
}

// Cuts the next physical line off `text`; a line ends at \n, \r or \r\n (as in Java).
std::string_view next_line(std::string_view& text) {
    std::size_t end = text.find_first_of("\r\n");
    if (end == std::string_view::npos) {
        std::string_view line = text;
        text = {};
        return line;
    }
    std::string_view line = text.substr(0, end);
    std::size_t skip =
        (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ? 2 : 1;
    text.remove_prefix(end + skip);
    return line;
}

void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes one escape starting after the backslash at s[i]; returns the index after it.
std::size_t decode_escape(std::string_view s, std::size_t i, std::string& out,
                          const std::string& where) {
    char c = s[i];
    switch (c) {
        case 't':
            out.push_back('\t');
            return i + 1;
        case 'n':
            out.push_back('\n');
            return i + 1;
        case 'r':
            out.push_back('\r');
            return i + 1;
        case 'f':
            out.push_back('\f');
            return i + 1;
        case 'u': {
            unsigned cp = 0;
            for (std::size_t k = 1; k <= 4; ++k) {
                int d = i + k < s.size() ? hex_digit(s[i + k]) : -1;
                if (d < 0) throw ConfigError(where + ": malformed \\uXXXX escape");
                cp = cp * 16 + static_cast<unsigned>(d);
            }
            append_utf8(out, cp);
            return i + 5;
        }
        default:
            out.push_back(c);
            return i + 1;  // \= \: \# \! \\ and any other: the character
    }
}

PropertyLine split_entry(std::string_view logical, std::size_t line, const std::string& where) {
    PropertyLine entry;
    entry.line = line;
    std::size_t i = 0;
    // Key: up to the first unescaped '=', ':' or white space.
    while (i < logical.size()) {
        char c = logical[i];
        if (c == '\\' && i + 1 < logical.size()) {
            i = decode_escape(logical, i + 1, entry.key, where);
            continue;
        }
        if (c == '=' || c == ':' || is_blank(c)) break;
        entry.key.push_back(c);
        ++i;
    }
    // Separator: blanks, then at most one '=' or ':', then blanks.
    while (i < logical.size() && is_blank(logical[i]))
        ++i;
    if (i < logical.size() && (logical[i] == '=' || logical[i] == ':')) ++i;
    while (i < logical.size() && is_blank(logical[i]))
        ++i;
    // Value: the rest; trailing blanks go unless escaped ("\ ").
    std::string_view raw = logical.substr(i);
    while (!raw.empty() && is_blank(raw.back()) &&
           !ends_in_odd_backslashes(raw.substr(0, raw.size() - 1))) {
        raw.remove_suffix(1);
    }
    for (std::size_t k = 0; k < raw.size();) {
        if (raw[k] == '\\' && k + 1 < raw.size()) {
            k = decode_escape(raw, k + 1, entry.value, where);
        } else {
            entry.value.push_back(raw[k]);
            ++k;
        }
    }
    return entry;
}

}  // namespace

std::vector<PropertyLine> parse_properties(std::string_view text, std::string_view source_name) {
    // A UTF-8 byte order mark is not part of the first key.
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::vector<PropertyLine> entries;
    std::size_t line_no = 0;
    while (!text.empty()) {
        std::string_view line = skip_leading_blanks(next_line(text));
        ++line_no;
        if (line.empty() || line.front() == '#' || line.front() == '!') continue;
        const std::size_t start_line = line_no;
        std::string logical(line);
        // Continuation lines lose their leading blanks; comments are only recognised at the start
        // of an entry, so a continued "# x" is part of the value (as in Java).
        while (ends_in_odd_backslashes(logical)) {
            logical.pop_back();
            if (text.empty()) break;
            logical += skip_leading_blanks(next_line(text));
            ++line_no;
        }
        std::string where = std::string(source_name) + ":" + std::to_string(start_line);
        entries.push_back(split_entry(logical, start_line, where));
    }
    return entries;
}

std::vector<std::string> apply_properties(std::string_view text, std::string_view source_name,
                                          Settings& settings) {
    std::vector<std::string> warnings;
    Settings result = settings;  // all or nothing: `settings` changes only if every line is good
    for (const PropertyLine& entry : parse_properties(text, source_name)) {
        std::string where = std::string(source_name) + ":" + std::to_string(entry.line);
        apply_key_value(where, entry.key, entry.value, result, warnings);
    }
    settings = std::move(result);
    return warnings;
}

Settings load_properties(const std::filesystem::path& path, Settings base,
                         std::vector<std::string>* warnings) {
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw ConfigError("config file \"" + name + "\" does not exist");
    }
    if (std::filesystem::is_directory(path, ec)) {
        throw ConfigError("config file \"" + name + "\" is a directory, not a file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("config file \"" + name + "\" cannot be opened for reading");
    std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw ConfigError("config file \"" + name + "\" cannot be read");
    std::vector<std::string> found = apply_properties(content, name, base);
    if (warnings) warnings->insert(warnings->end(), found.begin(), found.end());
    return base;
}

}  // namespace blynk::config
