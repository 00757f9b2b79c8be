#pragma once
// The suite's summary: the targets evaluated against one run's numbers (as ratios where
// a ratio is asked), the sizing projection from the measured per-connection figures, and the
// results.md / results.json files.

#include <string>
#include <vector>

#include "tools/bench/report.hpp"

namespace blynk::bench {

/// One row per target: what, goal, measured, status ("met", "missed", "n/a").
std::vector<Json> evaluate_targets(const std::vector<ScenarioResult>& results);

/// Memory / CPU / reconnect projections for 1,000, 100,000 and 1,000,000 devices, and the
/// inputs they were computed from.
Json sizing(const std::vector<ScenarioResult>& results);

/// Waits up to `max_wait_s` for the machine to be quiet (other processes using under a quarter
/// of a core over one second, then the hypervisor taking under 10 % of half a second of spinning
/// on every core), so that a neighbour's compile or a busy host does not skew the run. Returns
/// {"waited_s", "busy_cores", "steal_share"}: how long it waited and the last figures measured.
Json wait_for_quiet(double max_wait_s);

/// Writes DIR/results.md and DIR/results.json; `before` is wait_for_quiet()'s answer.
void write_results(const std::string& dir, const std::vector<ScenarioResult>& results,
                   const Json& before);

}  // namespace blynk::bench
