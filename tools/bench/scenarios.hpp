#pragma once
// The scenarios. Each returns its result; an exception means the tool failed (the caller turns
// it into ok=false).

#include "tools/bench/options.hpp"
#include "tools/bench/report.hpp"

namespace blynk::bench {

ScenarioResult run_startup(const Options& o);
ScenarioResult run_echo_baseline(const Options& o);
ScenarioResult run_bridge(const Options& o);
ScenarioResult run_write(const Options& o);
ScenarioResult run_rest(const Options& o);
ScenarioResult run_connect(const Options& o);
ScenarioResult run_idle(const Options& o);
ScenarioResult run_fanout(const Options& o);
ScenarioResult run_app_write(const Options& o);
ScenarioResult run_app_idle(const Options& o);
ScenarioResult run_profile(const Options& o);
ScenarioResult run_soak(const Options& o);
ScenarioResult run_noisy_neighbour(const Options& o);
ScenarioResult run_history(const Options& o);

/// Runs the scenario named `name`, catching failures into ok=false.
ScenarioResult run_scenario(const std::string& name, const Options& o);

}  // namespace blynk::bench
