// echo-baseline: the bridge scenario's exact client load (pairs, frames, depths, open-loop
// rate) against an in-process epoll echo server instead of blynkd, in the same run: the
// machine's ceiling for this traffic, to which bridge is compared as a ratio. Each pair's
// sender gets its frames back; its receiver connection is opened and stays idle, so both runs
// hold the same number of sockets.

#include "tools/bench/echo_server.hpp"
#include "tools/bench/net.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/workloads.hpp"

#include <stdexcept>

namespace blynk::bench {

ScenarioResult run_echo_baseline(const Options& o) {
    ScenarioResult r;
    r.scenario = "echo-baseline";
    EchoServer echo;
    auto [fds, streams] = connect_echo(echo.port(), o.pairs);

    r.setup = machine_setup();
    r.setup["server"] = "in-process epoll echo, 1 thread";
    r.setup["pairs"] = o.pairs;
    r.setup["connections"] = fds.size();
    r.setup["frame_bytes"] = o.frame_size;
    r.setup["duration_s"] = o.duration_s;
    r.setup["warmup_s"] = o.warmup_s;
    r.setup["bench_threads"] = o.threads;

    BridgeWorkload workload(o.frame_size);
    r.runs = depth_runs(
        o, streams, workload, fds.size(), -1,
        [](const void* e) { return static_cast<const EchoServer*>(e)->cpu_seconds(); }, &echo);
    close_fds(fds);
    for (const auto& run : r.runs)
        if (run["msgs_per_s"].get<double>() <= 0) r.ok = false;
    if (!r.ok) r.note = "a run delivered no messages";
    return r;
}

}  // namespace blynk::bench
