// noisy-neighbour: user B's two devices exchange BRIDGE writes at a modest open-loop rate
// (device → device through the server, latency at the receiving device) first on a quiet
// server, then while user A floods pin writes at full speed from many connections (Flooder).
// Two servers: the message quota as shipped (what contains a flood in practice) and lifted (the
// flood reaches the hub: only scheduling keeps B's messages moving). Reported: B's p99 quiet and
// under the flood and their ratio (goal <= 2), and what the flood pushed through. Never asserted.

#include "tools/bench/flooder.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/workloads.hpp"

namespace blynk::bench {

namespace {

constexpr double kFloodRampS = 1;  // the flood runs this long before B is measured

struct QuotaCase {
    const char* name;
    const char* limit;  ///< user.message.quota.limit
};

std::vector<Json> noisy_case(const Options& o, const QuotaCase& q) {
    TempDir dir("blynk-bench-noisy");
    // User 0 is B (its first two devices), user 1 is A (all its devices flood).
    const size_t per_user = std::max<size_t>(2, o.noisy_flood_conns);
    const auto devices = provision(dir.path(), "noisy", 2, per_user);
    BlynkdProcess server(o.blynkd, dir.path(),
                         server_settings(o, {{"hard.socket.idle.timeout", "120"},
                                             {"user.message.quota.limit", q.limit}}));
    server.start();
    std::vector<std::string> tokens{devices[0].token, devices[1].token};
    for (size_t k = 0; k < o.noisy_flood_conns; ++k)
        tokens.push_back(devices[per_user + k].token);
    std::vector<int> fds = login_plain(server.port(), tokens, 64);
    std::vector<Json> runs;
    try {
        init_bridge(fds[0], devices[1].token);
        const std::vector<StreamFds> b{stream_of(fds[0], fds[1])};
        BridgeWorkload workload(o.frame_size);
        LoadConfig c;
        c.warmup_s = o.warmup_s;
        c.duration_s = o.duration_s;
        c.rate = o.noisy_rate;
        auto measure = [&](const std::string& name) {
            CpuMeter cpu(server.pid());
            const LoadStats s = run_load(b, workload, c, 1);
            Json j = load_run_json(name + ", " + q.name, 2, c, s, cpu.cores());
            return j;
        };
        Json quiet = measure("B quiet");
        Flooder flood(std::vector<int>(fds.begin() + 2, fds.end()));
        flood.start();
        pause_s(kFloodRampS);
        Json loud = measure("B under A's flood");
        flood.stop();
        loud["flood_conns"] = o.noisy_flood_conns;
        loud["flood_frames_per_s"] =
            round_sig(static_cast<double>(flood.frames()) / flood.seconds(), 4);
        loud["flood_conns_closed"] = flood.closed();
        const double p99_quiet = quiet["latency_us"].value("p99", 0.0);
        const double p99_loud = loud["latency_us"].value("p99", 0.0);
        loud["p99_ratio"] = p99_quiet > 0 ? round_sig(p99_loud / p99_quiet, 3) : 0.0;
        runs.push_back(std::move(quiet));
        runs.push_back(std::move(loud));
    } catch (...) {
        close_fds(fds);
        throw;
    }
    close_fds(fds);
    runs.back()["server_stop"] = stop_json(server.stop());
    return runs;
}

}  // namespace

ScenarioResult run_noisy_neighbour(const Options& o) {
    ScenarioResult r;
    r.scenario = "noisy-neighbour";
    r.setup = load_setup(o);
    r.setup["b_rate_per_s"] = o.noisy_rate;
    r.setup["flood_conns"] = o.noisy_flood_conns;
    r.setup["frame_bytes"] = o.frame_size;
    r.setup["measured"] =
        "B: BRIDGE device -> device latency (open loop); A: HARDWARE pin writes at full speed";
    for (const QuotaCase& q :
         {QuotaCase{"quota as shipped (100/s)", "100"}, QuotaCase{"quota lifted", "1000000"}}) {
        for (Json& run : noisy_case(o, q))
            r.runs.push_back(std::move(run));
    }
    require_delivery(r, "msgs_per_s");
    return r;
}

}  // namespace blynk::bench
