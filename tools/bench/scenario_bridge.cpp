// bridge: pairs of devices of one user (one user per pair, so pairs spread over the server's
// strands); A sends BRIDGE writes to B through the server; delivered msgs/s and latency at B,
// closed loop at each depth, then open loop at half the peak.

#include <stdexcept>

#include "common/proto/command.hpp"
#include "tools/bench/echo_server.hpp"
#include "tools/bench/messages.hpp"
#include "tools/bench/net.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/workloads.hpp"

namespace blynk::bench {

namespace {

// The echo server at bridge's open-loop rate, same connections: the latency the bench and the
// kernel alone add at that rate, so that bridge's p99 can be read against it.
Json echo_reference(const Options& o, const Json& half) {
    EchoServer echo;
    auto [fds, streams] = connect_echo(echo.port(), o.pairs);
    LoadConfig c;
    c.warmup_s = o.warmup_s;
    c.duration_s = o.duration_s;
    c.rate = half["offered_per_s"].get<double>();
    BridgeWorkload workload(o.frame_size);
    CpuMeter cpu(-1, echo.cpu_seconds());
    const LoadStats s = run_load(streams, workload, c, o.threads);
    Json j = load_run_json("echo at this rate (reference)", fds.size(), c, s,
                           cpu.cores(echo.cpu_seconds()));
    close_fds(fds);
    return j;
}

}  // namespace

ScenarioResult run_bridge(const Options& o) {
    ScenarioResult r;
    r.scenario = "bridge";
    TempDir dir("blynk-bench-bridge");
    const auto devices = provision(dir.path(), "bridge", o.pairs, 2);
    BlynkdProcess server(o.blynkd, dir.path(), server_settings(o, {}));
    server.start();
    std::vector<int> fds = login_plain(server.port(), tokens_of(devices), 64);
    std::vector<StreamFds> streams;
    try {
        for (size_t p = 0; p < o.pairs; ++p) {
            init_bridge(fds[2 * p], devices[2 * p + 1].token);
            streams.push_back(stream_of(fds[2 * p], fds[2 * p + 1]));
        }
    } catch (...) {
        close_fds(fds);
        throw;
    }

    r.setup = load_setup(o);
    r.setup["server_threads"] = server.worker_threads();
    r.setup["pairs"] = o.pairs;
    r.setup["connections"] = fds.size();
    r.setup["frame_bytes"] = o.frame_size;

    BridgeWorkload workload(o.frame_size);
    r.runs = depth_runs(o, o.depths, streams, workload, fds.size(), server.pid());
    close_fds(fds);
    r.setup["server_stop"] = stop_json(server.stop());
    if (const Json* half = r.run("half peak")) r.runs.push_back(echo_reference(o, *half));
    require_delivery(r, "msgs_per_s");
    return r;
}

}  // namespace blynk::bench
