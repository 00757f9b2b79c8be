#include "tools/bench/histogram.hpp"

#include <bit>
#include <cmath>

namespace blynk::bench {

size_t Histogram::index_of(uint64_t v) {
    if (v < kSub) return static_cast<size_t>(v);  // exact below 32 ns
    const int e = 63 - std::countl_zero(v);       // position of the leading bit, >= kSubBits
    const uint64_t sub = (v >> (e - kSubBits)) - kSub;
    return static_cast<size_t>(e - kSubBits + 1) * kSub + static_cast<size_t>(sub);
}

uint64_t Histogram::middle_of(size_t index) {
    if (index < kSub) return index;
    const int e = static_cast<int>(index / kSub) + kSubBits - 1;
    const uint64_t sub = index % kSub;
    const uint64_t width = 1ull << (e - kSubBits);
    return ((kSub + sub) << (e - kSubBits)) + width / 2;
}

void Histogram::record(uint64_t ns) {
    ++counts_[index_of(ns)];
    ++count_;
    if (ns > max_) max_ = ns;
}

void Histogram::merge(const Histogram& other) {
    for (size_t i = 0; i < kBuckets; ++i)
        counts_[i] += other.counts_[i];
    count_ += other.count_;
    if (other.max_ > max_) max_ = other.max_;
}

uint64_t Histogram::quantile(double q) const {
    if (count_ == 0) return 0;
    auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
        seen += counts_[i];
        if (seen >= rank) return std::min(middle_of(i), max_);
    }
    return max_;
}

nlohmann::ordered_json Histogram::summary_us() const {
    auto us = [](uint64_t ns) { return std::round(static_cast<double>(ns) / 100.0) / 10.0; };
    nlohmann::ordered_json j;
    j["n"] = count_;
    j["p50"] = us(quantile(0.50));
    j["p90"] = us(quantile(0.90));
    j["p99"] = us(quantile(0.99));
    j["p999"] = us(quantile(0.999));
    j["max"] = us(max_);
    return j;
}

}  // namespace blynk::bench
