#pragma once
// A small HDR-style latency histogram: buckets are powers of two split into 32 linear
// sub-buckets, so any recorded value is known within ~3 % over the whole range (1 ns .. hours)
// with a fixed 15 KiB array and an O(1) record().

#include <array>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace blynk::bench {

class Histogram {
public:
    /// Records one value in nanoseconds.
    void record(uint64_t ns);
    /// Adds every value of `other`.
    void merge(const Histogram& other);

    uint64_t count() const { return count_; }
    uint64_t max() const { return max_; }
    /// The value at quantile `q` (0..1) in nanoseconds: the middle of its bucket, never more than
    /// the largest recorded value; 0 when empty.
    uint64_t quantile(double q) const;

    /// {"n", "p50", "p90", "p99", "p999", "max"} with the percentiles in microseconds.
    nlohmann::ordered_json summary_us() const;

private:
    static constexpr int kSubBits = 5;
    static constexpr uint64_t kSub = 1ull << kSubBits;
    static constexpr size_t kBuckets = (64 - kSubBits + 1) * kSub;

    static size_t index_of(uint64_t v);
    static uint64_t middle_of(size_t index);

    std::array<uint64_t, kBuckets> counts_{};
    uint64_t count_ = 0;
    uint64_t max_ = 0;
};

}  // namespace blynk::bench
