#pragma once
// The body of GET_ENHANCED_GRAPH_DATA's answer (command 60), before it is zlib-deflated: int32
// dashId, then for every data stream of the chart, in order, int32 count followed by count
// records of (double value, int64 epoch ms), all big-endian (Java's DataOutputStream layout).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace blynk::proto {

struct GraphSample {
    double value = 0;
    int64_t time_ms = 0;
    friend bool operator==(const GraphSample&, const GraphSample&) = default;
};

struct GraphData {
    int32_t dash_id = 0;
    std::vector<std::vector<GraphSample>> streams;
};

/// Appends one stream (its count, then its records) to a body begun by begin_graph_data().
void append_graph_stream(std::string& body, std::span<const GraphSample> samples);
/// A body holding only the dashboard id; streams follow with append_graph_stream().
std::string begin_graph_data(int32_t dash_id);

/// Reads a body back; nullopt when it is truncated or has bytes left over.
std::optional<GraphData> parse_graph_data(std::string_view body);

}  // namespace blynk::proto
