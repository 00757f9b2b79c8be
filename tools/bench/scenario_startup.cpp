// startup: spawn to "listening on" (both ports accept) with an empty data dir (first start,
// which generates the TLS certificate, and second start), and with N provisioned devices; the
// server's RSS once it is up is its idle footprint (and, with devices, their cost).

#include "tools/bench/clock.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/sysinfo.hpp"

namespace blynk::bench {

namespace {

constexpr double kSettleS = 0.3;

Json start_once(const Options& o, const std::filesystem::path& dir, const std::string& name,
                size_t devices) {
    BlynkdProcess server(o.blynkd, dir, server_settings(o, {}));
    server.start();
    pause_s(kSettleS);
    Json j;
    j["run"] = name;
    j["devices"] = devices;
    j["start_ms"] = round_sig(server.startup_ms(), 3);
    j["rss_kib"] = rss_kib(server.pid());
    j["rss_anon_kib"] = anon_rss_kib(server.pid());
    j["threads"] = server.worker_threads();
    server.stop();
    return j;
}

}  // namespace

ScenarioResult run_startup(const Options& o) {
    ScenarioResult r;
    r.scenario = "startup";
    r.setup = machine_setup();
    r.setup["measured"] = "spawn to the second 'listening on' log line (1 ms polling); RSS " +
                          std::to_string(static_cast<int>(kSettleS * 1000)) + " ms later";
    r.setup["server_threads"] = o.server_threads ? o.server_threads : cpu_count();
    {
        TempDir dir("blynk-bench-start");
        r.runs.push_back(start_once(o, dir.path(), "empty (first start)", 0));
        r.runs.push_back(start_once(o, dir.path(), "empty (second start)", 0));
    }
    TempDir dir("blynk-bench-start-many");
    const size_t users = std::max<size_t>(1, o.startup_devices / o.devices_per_user);
    const uint64_t t0 = now_ns();
    const auto devices = provision(dir.path(), "start", users, o.devices_per_user);
    const double provision_ms = static_cast<double>(now_ns() - t0) / 1e6;
    Json j = start_once(o, dir.path(), std::to_string(devices.size()) + " devices", devices.size());
    j["provision_ms"] = round_sig(provision_ms, 3);
    r.runs.push_back(j);
    r.setup["devices_per_user"] = o.devices_per_user;
    return r;
}

ScenarioResult run_scenario(const std::string& name, const Options& o) {
    try {
        if (name == "startup") return run_startup(o);
        if (name == "echo-baseline") return run_echo_baseline(o);
        if (name == "bridge") return run_bridge(o);
        if (name == "write") return run_write(o);
        if (name == "rest") return run_rest(o);
        if (name == "connect") return run_connect(o);
        if (name == "idle") return run_idle(o);
        if (name == "fanout") return run_fanout(o);
        if (name == "app-write") return run_app_write(o);
        if (name == "app-idle") return run_app_idle(o);
        if (name == "profile") return run_profile(o);
        if (name == "history") return run_history(o);
        if (name == "soak") return run_soak(o);
        if (name == "noisy-neighbour") return run_noisy_neighbour(o);
        throw std::invalid_argument("unknown scenario " + name);
    } catch (const std::exception& e) {
        ScenarioResult r;
        r.scenario = name;
        r.ok = false;
        r.setup = machine_setup();
        r.note = e.what();
        return r;
    }
}

}  // namespace blynk::bench
