#include "tools/bench/options.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace blynk::bench {

namespace {

std::vector<uint32_t> parse_list(const std::string& s) {
    std::vector<uint32_t> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
        out.push_back(static_cast<uint32_t>(std::stoul(item)));
    if (out.empty()) throw std::invalid_argument("empty list: " + s);
    return out;
}

// The smoke profile: every scenario in about a second, sizes that cannot stress anything.
void apply_smoke(Options& o) {
    o.smoke = true;
    o.warmup_s = 0.1;
    o.duration_s = 0.3;
    o.pairs = 4;
    o.idle_conns = 100;
    o.idle_hold_s = 0.2;
    o.connect_devices = 20;
    o.connect_concurrency = 8;
    o.startup_devices = 2000;
    o.write_devices = 4;
    o.write_pins = 8;
    o.write_wide_devices = 16;
    o.rest_conns = 4;
    o.history_devices = 4;
    o.history_pins = 4;
    o.history_rate = 2000;
    o.fanout_apps = {2};      // two receivers per write: the path one app also takes
    o.app_idle_sessions = 8;  // PBKDF2: ~70 ms per login
    o.profile_requests = 100;
}

}  // namespace

const std::vector<std::string>& Options::all_scenarios() {
    static const std::vector<std::string> names{"startup",   "echo-baseline", "bridge",  "write",
                                                "rest",      "connect",       "idle",    "fanout",
                                                "app-write", "app-idle",      "profile", "history"};
    return names;
}

const std::vector<std::string>& Options::extra_scenarios() {
    static const std::vector<std::string> names{"soak", "noisy-neighbour"};
    return names;
}

std::string usage() {
    return R"(usage: blynk-bench SCENARIO... [OPTIONS]
       blynk-bench suite [--out DIR] [OPTIONS]     every scenario; DIR/results.{md,json}
       blynk-bench smoke [OPTIONS]                 every scenario, tiny, ~1 s each (ctest)

scenarios: startup echo-baseline bridge write rest connect idle fanout app-write app-idle
           profile history
           by name only (not in suite or smoke): soak noisy-neighbour

options (defaults are the standard suite's):
  --blynkd PATH            server binary (default: the one built with this tool)
  --out DIR                write results.md and results.json there
  --threads N              bench load threads (1)
  --server-threads N       server.worker.threads (0 = one per core)
  --duration S             measured seconds per run (3); --warmup S (0.5)
  --pairs N                echo-baseline/bridge sender+receiver pairs; fanout/app-write
                           users, one device each (50)
  --depth LIST             pipelining depths, e.g. 1,16 (1,16)
  --size BYTES             frame size on the wire (32)
  --rate R                 open-loop msgs/s (0 = half of the measured peak)
  --idle-conns N           idle connections per transport (18000)
  --idle-hold S            seconds to hold them before reading RSS (2)
  --connect-devices N      tokens cycled by the connect storms (1000)
  --concurrency N          connections in progress at once in storms (64)
  --startup-devices N      devices provisioned for the start-up run (100000)
  --write-devices N        write: connections (128); --write-pins N (256); --write-depth N (16)
  --write-wide-devices N   write, second run: connections (1024), depth scaled to the same
                           writes in flight
  --history-devices N      history: connections, one device each (256); --history-pins N
                           pins written per device (16); --history-rate R open-loop
                           points/s (200000); the peak run uses --write-depth
  --rest-conns N           rest: HTTP keep-alive connections, one device each (32)
  --fanout-apps LIST       fanout: TLS app sessions per user, one server each (1,2)
  --app-idle-sessions N    app-idle: logged-in TLS app sessions held (2000; logins are
                           PBKDF2-bound, tens of ms each)
  --profile-requests N     profile: LOAD_PROFILE_GZIPPED requests, and as many PINGs (2000)
  --profile-widgets N      profile: widgets in the dashboard (50)
  --soak-devices N         soak: devices, plain:TLS:WebSocket 4:3:3 (10000)
  --soak-apps N            soak: TLS app sessions, users of the first devices (200)
  --soak-device-every S    soak: each device writes a pin every S s (5)
  --soak-app-every S       soak: each app session writes to its device every S s (2)
  --soak-churn N           soak: devices dropped (RST) and logged in again per second (20)
  --soak-warmup S          soak: warm-up before the measured --duration (duration/6, 10..300)
  --soak-check             soak: a missed non-timing goal (open files back to baseline, no
                           error lines, WAL bounded, RSS drift, all online) fails the run
  --soak-rss-drift PCT     soak: the RSS drift goal, in % (2)
  --soak-wal-limit MIB     soak: the WAL's largest size allowed (256)
  --flood-conns N          noisy-neighbour: user A's flooding connections (64)
  --noisy-rate R           noisy-neighbour: user B's BRIDGE writes per second (50)
  --server-set KEY=VALUE   extra blynkd setting, repeatable (applied last)
  --quiet-wait S           wait up to S s for other processes to go quiet before starting,
                           and up to S/6 s before each scenario (0; `make bench` uses 120)
)";
}

Options parse_options(int argc, char** argv) {
    Options o;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (std::find(args.begin(), args.end(), "smoke") != args.end()) apply_smoke(o);
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) throw std::invalid_argument(a + " needs a value");
            return args[++i];
        };
        if (a == "-h" || a == "--help") throw std::invalid_argument("");
        if (a.rfind("--", 0) != 0) {
            o.scenarios.push_back(a);
        } else if (a == "--blynkd") {
            o.blynkd = value();
        } else if (a == "--out") {
            o.out_dir = value();
        } else if (a == "--threads") {
            o.threads = static_cast<unsigned>(std::stoul(value()));
        } else if (a == "--server-threads") {
            o.server_threads = static_cast<unsigned>(std::stoul(value()));
        } else if (a == "--duration") {
            o.duration_s = std::stod(value());
        } else if (a == "--warmup") {
            o.warmup_s = std::stod(value());
        } else if (a == "--pairs") {
            o.pairs = std::stoul(value());
        } else if (a == "--depth") {
            o.depths = parse_list(value());
        } else if (a == "--size") {
            o.frame_size = std::stoul(value());
        } else if (a == "--rate") {
            o.rate = std::stod(value());
        } else if (a == "--idle-conns") {
            o.idle_conns = std::stoul(value());
        } else if (a == "--idle-hold") {
            o.idle_hold_s = std::stod(value());
        } else if (a == "--connect-devices") {
            o.connect_devices = std::stoul(value());
        } else if (a == "--concurrency") {
            o.connect_concurrency = std::stoul(value());
        } else if (a == "--startup-devices") {
            o.startup_devices = std::stoul(value());
        } else if (a == "--write-devices") {
            o.write_devices = std::stoul(value());
        } else if (a == "--write-pins") {
            o.write_pins = std::clamp<size_t>(std::stoul(value()), 1, 256);
        } else if (a == "--write-wide-devices") {
            o.write_wide_devices = std::stoul(value());
        } else if (a == "--history-devices") {
            o.history_devices = std::stoul(value());
        } else if (a == "--history-pins") {
            o.history_pins = std::max<size_t>(1, std::stoul(value()));
        } else if (a == "--history-rate") {
            o.history_rate = std::stod(value());
        } else if (a == "--write-depth") {
            o.write_depth = static_cast<uint32_t>(std::stoul(value()));
        } else if (a == "--rest-conns") {
            o.rest_conns = std::stoul(value());
        } else if (a == "--fanout-apps") {
            o.fanout_apps = parse_list(value());
        } else if (a == "--app-idle-sessions") {
            o.app_idle_sessions = std::stoul(value());
        } else if (a == "--profile-requests") {
            o.profile_requests = std::stoul(value());
        } else if (a == "--profile-widgets") {
            o.profile_widgets = std::stoul(value());
        } else if (a == "--quiet-wait") {
            o.quiet_wait_s = std::stod(value());
        } else if (a == "--soak-devices") {
            o.soak_devices = std::stoul(value());
        } else if (a == "--soak-apps") {
            o.soak_apps = std::stoul(value());
        } else if (a == "--soak-device-every") {
            o.soak_device_interval_s = std::stod(value());
        } else if (a == "--soak-app-every") {
            o.soak_app_interval_s = std::stod(value());
        } else if (a == "--soak-churn") {
            o.soak_churn_per_s = std::stod(value());
        } else if (a == "--soak-warmup") {
            o.soak_warmup_s = std::stod(value());
        } else if (a == "--soak-check") {
            o.soak_check = true;
        } else if (a == "--soak-rss-drift") {
            o.soak_rss_drift_pct = std::stod(value());
        } else if (a == "--soak-wal-limit") {
            o.soak_wal_limit_mib = std::stoull(value());
        } else if (a == "--flood-conns") {
            o.noisy_flood_conns = std::stoul(value());
        } else if (a == "--noisy-rate") {
            o.noisy_rate = std::stod(value());
        } else if (a == "--server-set") {
            const std::string kv = value();
            const size_t eq = kv.find('=');
            if (eq == std::string::npos)
                throw std::invalid_argument("--server-set needs KEY=VALUE");
            o.server_settings.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
        } else {
            throw std::invalid_argument("unknown option " + a);
        }
    }
    if (o.scenarios.empty()) throw std::invalid_argument("no scenario given");
    for (const auto& s : o.scenarios) {
        const auto& all = Options::all_scenarios();
        const auto& extra = Options::extra_scenarios();
        if (s != "suite" && s != "smoke" && std::find(all.begin(), all.end(), s) == all.end() &&
            std::find(extra.begin(), extra.end(), s) == extra.end())
            throw std::invalid_argument("unknown scenario " + s);
    }
    if (o.pairs == 0 || o.rest_conns == 0 || o.write_devices == 0 || o.duration_s <= 0 ||
        o.app_idle_sessions == 0 || o.profile_requests == 0 || o.soak_devices == 0 ||
        o.soak_device_interval_s <= 0 || o.soak_app_interval_s <= 0 || o.noisy_flood_conns == 0 ||
        o.noisy_rate <= 0 ||
        std::find(o.fanout_apps.begin(), o.fanout_apps.end(), 0u) != o.fanout_apps.end())
        throw std::invalid_argument("sizes and durations must be positive");
    return o;
}

}  // namespace blynk::bench
