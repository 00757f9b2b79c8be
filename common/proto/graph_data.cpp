#include "common/proto/graph_data.hpp"

#include <bit>
#include <type_traits>

namespace blynk::proto {
namespace {

template <class T>
void put_big_endian(std::string& out, T value) {
    using U = std::make_unsigned_t<T>;
    const auto bits = static_cast<U>(value);
    for (int shift = (sizeof(U) - 1) * 8; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((bits >> shift) & 0xff));
}

uint64_t get_big_endian(std::string_view in, size_t bytes) {
    uint64_t value = 0;
    for (size_t i = 0; i < bytes; ++i)
        value = (value << 8) | static_cast<unsigned char>(in[i]);
    return value;
}

constexpr size_t kRecordBytes = 16;

}  // namespace

std::string begin_graph_data(int32_t dash_id) {
    std::string body;
    put_big_endian(body, dash_id);
    return body;
}

void append_graph_stream(std::string& body, std::span<const GraphSample> samples) {
    body.reserve(body.size() + 4 + samples.size() * kRecordBytes);
    put_big_endian(body, static_cast<int32_t>(samples.size()));
    for (const GraphSample& s : samples) {
        put_big_endian(body, std::bit_cast<uint64_t>(s.value));
        put_big_endian(body, s.time_ms);
    }
}

std::optional<GraphData> parse_graph_data(std::string_view body) {
    if (body.size() < 4) return std::nullopt;
    GraphData out;
    out.dash_id = static_cast<int32_t>(get_big_endian(body, 4));
    body.remove_prefix(4);
    while (!body.empty()) {
        if (body.size() < 4) return std::nullopt;
        const uint64_t count = get_big_endian(body, 4);
        body.remove_prefix(4);
        if (count > body.size() / kRecordBytes) return std::nullopt;
        auto& stream = out.streams.emplace_back();
        stream.reserve(count);
        for (uint64_t i = 0; i < count; ++i) {
            GraphSample s;
            s.value = std::bit_cast<double>(get_big_endian(body, 8));
            s.time_ms = static_cast<int64_t>(get_big_endian(body.substr(8), 8));
            stream.push_back(s);
            body.remove_prefix(kRecordBytes);
        }
    }
    return out;
}

}  // namespace blynk::proto
