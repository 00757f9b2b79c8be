#include "common/proto/body.hpp"

namespace blynk::proto {

std::vector<std::string_view> split_all(std::string_view body) {
    std::vector<std::string_view> fields;
    size_t start = 0;
    while (start <= body.size()) {
        size_t pos = body.find(kSep, start);
        if (pos == std::string_view::npos) pos = body.size();
        fields.push_back(body.substr(start, pos - start));
        start = pos + 1;
    }
    while (!fields.empty() && fields.back().empty())
        fields.pop_back();
    return fields;
}

std::string join(const std::vector<std::string_view>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) out.push_back(kSep);
        out.append(fields[i]);
    }
    return out;
}

std::string_view trim_java(std::string_view s) {
    while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20)
        s.remove_prefix(1);
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20)
        s.remove_suffix(1);
    return s;
}

}  // namespace blynk::proto
