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

    r.setup = load_setup(o);
    r.setup["server"] = "in-process epoll echo, 1 thread";
    r.setup["pairs"] = o.pairs;
    r.setup["connections"] = fds.size();
    r.setup["frame_bytes"] = o.frame_size;

    BridgeWorkload workload(o.frame_size);
    r.runs = depth_runs(o, o.depths, streams, workload, fds.size(), -1, load_run_json,
                        [&echo] { return echo.cpu_seconds(); });
    close_fds(fds);
    require_delivery(r, "msgs_per_s");
    return r;
}

}  // namespace blynk::bench
