#include "tools/bench/suite.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>

#include "tools/bench/clock.hpp"
#include "tools/bench/sysinfo.hpp"

namespace blynk::bench {

namespace {

// Assumed per-device traffic for the CPU projection: the Blynk library's 10 s heartbeat (PING)
// plus one pin write every 10 s.
constexpr double kMsgsPerDevicePerS = 0.2;

const ScenarioResult* find(const std::vector<ScenarioResult>& rs, const std::string& name) {
    for (const auto& r : rs)
        if (r.scenario == name && r.ok) return &r;
    return nullptr;
}

// A number at `path` ("a.b") of run `run` of scenario `scenario`; nullopt when missing.
std::optional<double> number(const std::vector<ScenarioResult>& rs, const std::string& scenario,
                             const std::string& run, const std::string& path) {
    const ScenarioResult* s = find(rs, scenario);
    if (!s) return std::nullopt;
    const Json* j = s->run(run);
    if (!j) return std::nullopt;
    std::stringstream ss(path);
    std::string part;
    while (std::getline(ss, part, '.')) {
        if (!j->contains(part)) return std::nullopt;
        j = &(*j)[part];
    }
    if (!j->is_number()) return std::nullopt;
    return j->get<double>();
}

std::string fmt(double v, const std::string& unit = "") {
    std::ostringstream ss;
    ss << round_sig(v, 4) << unit;
    return ss.str();
}

Json target(const std::string& what, const std::string& goal, std::optional<double> measured,
            const std::function<bool(double)>& met, const std::string& unit,
            const std::string& how = "") {
    Json j;
    j["target"] = what;
    j["goal"] = goal;
    j["measured"] = measured ? fmt(*measured, unit) : "-";
    j["status"] = measured ? (met(*measured) ? "met" : "missed") : "n/a";
    if (!how.empty()) j["from"] = how;
    return j;
}

std::string whole(double v) {
    return std::to_string(static_cast<int64_t>(std::llround(v)));
}

std::optional<double> ratio(std::optional<double> a, std::optional<double> b) {
    if (!a || !b || *b <= 0) return std::nullopt;
    return *a / *b;
}

// One row per closed-loop run ("depth N") of `scenario`: its msgs/s over `reference`'s at the
// same depth, >= 0.5.
void depth_ratios(std::vector<Json>& t, const std::vector<ScenarioResult>& rs,
                  const std::string& scenario, const std::string& reference,
                  const std::string& how) {
    const ScenarioResult* s = find(rs, scenario);
    if (!s) return;
    for (const auto& run : s->runs) {
        const std::string name = run.value("run", "");
        if (name.rfind("depth ", 0) != 0) continue;
        t.push_back(target(
            scenario + " / " + reference + " msgs/s, " + name, ">= 0.5",
            ratio(number(rs, scenario, name, "msgs_per_s"),
                  number(rs, reference, name, "msgs_per_s")),
            [](double v) { return v >= 0.5; }, "", how));
    }
}

// fanout's runs are named "<run>, <k> app(s)": per k, the best closed-loop delivery rate and the
// p99 at half of it.
void fanout_targets(std::vector<Json>& t, const std::vector<ScenarioResult>& rs) {
    const ScenarioResult* f = find(rs, "fanout");
    if (!f) return;
    std::vector<std::pair<std::string, double>> best;  // suffix → msgs/s, in run order
    for (const auto& run : f->runs) {
        const std::string name = run.value("run", "");
        const size_t comma = name.find(", ");
        if (name.rfind("depth ", 0) != 0 || comma == std::string::npos) continue;
        const std::string suffix = name.substr(comma);
        auto it = std::find_if(best.begin(), best.end(),
                               [&](const auto& b) { return b.first == suffix; });
        if (it == best.end()) it = best.insert(best.end(), {suffix, 0.0});
        it->second = std::max(it->second, run.value("msgs_per_s", 0.0));
    }
    for (const auto& [suffix, rate] : best) {
        t.push_back(target(
            "fanout msgs/s delivered to apps over TLS" + suffix + " per user", ">= 1000000", rate,
            [](double v) { return v >= 1e6; }, "/s",
            "best closed-loop depth; every app session's deliveries count"));
        t.push_back(target(
            "fanout p99 at half of the peak rate" + suffix + " per user", "< 2000 us",
            number(rs, "fanout", "half peak" + suffix, "latency_us.p99"),
            [](double v) { return v < 2000; }, " us", "open loop, delivery at the apps"));
    }
}

}  // namespace

std::vector<Json> evaluate_targets(const std::vector<ScenarioResult>& rs) {
    std::vector<Json> t;
    depth_ratios(t, rs, "bridge", "echo-baseline", "same connections, depth");
    // The echo server's p99 at the same rate is the floor the bench and the kernel set.
    const auto floor = number(rs, "bridge", "echo at this rate (reference)", "latency_us.p99");
    t.push_back(target(
        "bridge p99 at half of the peak rate", "< 1000 us",
        number(rs, "bridge", "half peak", "latency_us.p99"), [](double v) { return v < 1000; },
        " us",
        "open loop, delivery at B" +
            (floor ? "; echo at the same rate: p99 " + fmt(*floor, " us") : std::string())));
    t.push_back(target(
        "bridge p99 at half of the unpipelined peak rate", "< 1000 us",
        number(rs, "bridge", "half unpipelined peak", "latency_us.p99"),
        [](double v) { return v < 1000; }, " us",
        "open loop at half the depth-1 rate, delivery at B"));
    t.push_back(target(
        "idle plain connection, server RSS", "<= 1024 B",
        number(rs, "idle", "plain", "bytes_per_conn"), [](double v) { return v <= 1024; }, " B"));
    t.push_back(target(
        "idle TLS connection, server RSS", "<= 12288 B",
        number(rs, "idle", "TLS", "bytes_per_conn"), [](double v) { return v <= 12288; }, " B"));
    t.push_back(target(
        "server idle RSS, empty data dir", "< 8192 KiB",
        number(rs, "startup", "empty (first start)", "rss_kib"), [](double v) { return v < 8192; },
        " KiB", "first start"));
    t.push_back(target(
        "start to accepting, empty data dir", "< 100 ms",
        number(rs, "startup", "empty (first start)", "start_ms"), [](double v) { return v < 100; },
        " ms", "first start (generates the certificate)"));
    if (const ScenarioResult* s = find(rs, "startup"); s && s->runs.size() >= 3) {
        const Json& many = s->runs[2];
        const double n = many.value("devices", 0.0);
        Json row = target(
            "start to accepting, " + fmt(n) + " devices", "< 2000 ms (100,000)",
            many.value("start_ms", 0.0), [](double v) { return v < 2000; }, " ms");
        if (n < 100000) row["status"] = "n/a (fewer devices)";
        t.push_back(row);
    }
    t.push_back(target(
        "plain logins/s", ">= 20000", number(rs, "connect", "plain", "logins_per_s"),
        [](double v) { return v >= 20000; }, "/s"));
    if (const ScenarioResult* w = find(rs, "write")) {
        for (const auto& run : w->runs) {
            const std::string name = run.value("run", "");
            t.push_back(target(
                "pin writes/s accepted, " + name, ">= 200000",
                number(rs, "write", name, "writes_per_s"), [](double v) { return v >= 200000; },
                "/s", "hardware.write.ack=true"));
            // Only the wide run makes nearly every write a row to commit; in the others
            // coalescing caps the rows per flush at the number of pins, whatever the server does.
            // Rows per second of commit time is what the storage sustains; rows per wall second
            // is capped by the distinct pins written per flush interval.
            if (&run == &w->runs.back()) {
                t.push_back(target(
                    "SQLite commit capacity, " + name, ">= 200000",
                    number(rs, "write", name, "persisted.commit_capacity_per_s"),
                    [](double v) { return v >= 200000; }, " rows/s",
                    "rows per second of the storage thread's time in transactions"));
            }
            const auto keys = number(rs, "write", name, "persisted.keys");
            const auto matched = number(rs, "write", name, "persisted.matched");
            Json row = target(
                "last written value of every pin in SQLite, " + name, "all keys",
                ratio(matched, keys), [](double v) { return v >= 1.0; }, "");
            if (keys && matched)
                row["measured"] = whole(*matched) + " of " + whole(*keys) + " keys";
            t.push_back(row);
        }
    }
    fanout_targets(t, rs);
    depth_ratios(t, rs, "app-write", "bridge",
                 "app (TLS) to device against device to device, same depth and connections");
    t.push_back(target(
        "idle logged-in TLS app session, server RSS", "<= 16384 B",
        number(rs, "app-idle", "TLS app", "bytes_per_conn"), [](double v) { return v <= 16384; },
        " B"));
    t.push_back(target(
        "LOAD_PROFILE_GZIPPED server time (p50 minus PING p50)", "<= 1000 us",
        number(rs, "profile", "server time (profile - PING)", "latency_us.p50"),
        [](double v) { return v <= 1000; }, " us", "one dashboard of widgets with values, TLS"));
    return t;
}

Json sizing(const std::vector<ScenarioResult>& rs) {
    Json in;
    const auto base = number(rs, "startup", "empty (second start)", "rss_kib");
    std::optional<double> per_device;
    if (const ScenarioResult* s = find(rs, "startup"); s && s->runs.size() >= 3 && base) {
        const double n = s->runs[2].value("devices", 0.0);
        const double rss = s->runs[2].value("rss_kib", 0.0);
        if (n > 0) per_device = (rss - *base) * 1024.0 / n;
    }
    const auto plain = number(rs, "idle", "plain", "bytes_per_conn");
    const auto tls = number(rs, "idle", "TLS", "bytes_per_conn");
    const std::string wrun = [&] {
        const ScenarioResult* w = find(rs, "write");
        // The wide run: every device its own pins, as in a real fleet.
        return w && !w->runs.empty() ? w->runs.back().value("run", "") : std::string();
    }();
    const auto wps = number(rs, "write", wrun, "writes_per_s");
    const auto wcores = number(rs, "write", wrun, "cores.server");
    // Server CPU per login, not the storm's rate: in the TLS storms the bench's own TLS client
    // is the bottleneck on a small machine.
    const auto logins = number(rs, "connect", "plain", "server_us_per_login");
    const auto handshakes = number(rs, "connect", "TLS full", "server_us_per_login");
    const auto resumed = number(rs, "connect", "TLS resumed", "server_us_per_login");
    if (!base || !per_device || !plain || !tls) return Json{{"note", "inputs missing"}};

    in["base_rss_kib"] = *base;
    in["bytes_per_provisioned_device"] = round_sig(*per_device, 3);
    in["bytes_per_idle_plain_conn"] = *plain;
    in["bytes_per_idle_tls_conn"] = *tls;
    std::optional<double> core_us;
    if (wps && wcores && *wps > 0) {
        core_us = *wcores / *wps * 1e6;
        in["server_core_us_per_write"] = round_sig(*core_us, 3);
    }
    in["assumed_msgs_per_device_per_s"] = kMsgsPerDevicePerS;
    if (logins) in["server_us_per_plain_login"] = *logins;
    if (handshakes) in["server_us_per_tls_login"] = *handshakes;
    if (resumed) in["server_us_per_resumed_tls_login"] = *resumed;
    std::vector<Json> rows;
    for (double n : {1e3, 1e5, 1e6}) {
        Json r;
        r["devices"] = static_cast<uint64_t>(n);
        const double provisioned = *base * 1024 + n * *per_device;
        r["rss_all_plain_MiB"] = round_sig((provisioned + n * *plain) / 1048576.0, 3);
        r["rss_all_tls_MiB"] = round_sig((provisioned + n * *tls) / 1048576.0, 3);
        if (core_us)
            r["cores_at_0.2_msg_per_s"] = round_sig(n * kMsgsPerDevicePerS * *core_us / 1e6, 3);
        if (logins) r["reconnect_all_plain_core_s"] = round_sig(n * *logins / 1e6, 3);
        if (handshakes) r["reconnect_all_tls_full_core_s"] = round_sig(n * *handshakes / 1e6, 3);
        if (resumed) r["reconnect_all_tls_resumed_core_s"] = round_sig(n * *resumed / 1e6, 3);
        r["fds"] = static_cast<uint64_t>(n) + 16;
        rows.push_back(r);
    }
    return Json{{"inputs", in}, {"projection", rows}};
}

namespace {

// The share of half a second of spinning on every core that the hypervisor gave to other
// guests: a shared host's load, which an idle machine does not see.
double steal_share() {
    constexpr double kSpinS = 0.5;
    const unsigned n = std::max(1u, cpu_count());
    const double s0 = machine_steal_seconds();
    const uint64_t t0 = now_ns();
    std::vector<std::thread> spin;
    for (unsigned i = 0; i < n; ++i)
        spin.emplace_back([t0] {
            while (now_ns() - t0 < seconds_ns(kSpinS)) {
            }
        });
    for (auto& t : spin)
        t.join();
    return (machine_steal_seconds() - s0) / (kSpinS * n);
}

}  // namespace

Json wait_for_quiet(double max_wait_s) {
    constexpr double kQuietCores = 0.25;
    constexpr double kQuietSteal = 0.1;
    const uint64_t t0 = now_ns();
    double busy = 0;
    double steal = 0;
    do {
        const double b0 = machine_busy_seconds();
        std::this_thread::sleep_for(std::chrono::seconds(1));
        busy = machine_busy_seconds() - b0;
        if (busy >= kQuietCores) continue;
        steal = steal_share();
        if (steal < kQuietSteal) break;
    } while (static_cast<double>(now_ns() - t0) / 1e9 < max_wait_s);
    Json j;
    j["waited_s"] = round_sig(static_cast<double>(now_ns() - t0) / 1e9, 2);
    j["busy_cores"] = round_sig(busy, 2);
    j["steal_share"] = round_sig(steal, 2);
    return j;
}

void write_results(const std::string& dir, const std::vector<ScenarioResult>& rs,
                   const Json& before) {
    std::filesystem::create_directories(dir);
    const auto targets = evaluate_targets(rs);
    const Json size = sizing(rs);
    Json all;
    all["machine"] = machine_setup();
    all["machine_busy_before_start"] = before;
    all["targets"] = targets;
    all["sizing"] = size;
    Json scenarios = Json::array();
    for (const auto& r : rs)
        scenarios.push_back(r.to_json());
    all["scenarios"] = scenarios;
    std::ofstream(std::filesystem::path(dir) / "results.json") << all.dump(2) << "\n";

    std::ostringstream md;
    const Json m = machine_setup();
    md << "# blynk-bench results\n\n";
    md << "git " << m["git_revision"].get<std::string>() << ", "
       << m["build_type"].get<std::string>() << " build, " << m["cpu"].get<std::string>() << " × "
       << m["cores"].get<unsigned>() << " cores, " << m["date"].get<std::string>()
       << ". Server and bench share the machine. Numbers are from one run: compare ratios within "
          "it, not across machines. Before the start the machine was busy with "
       << before.value("busy_cores", -1.0) << " cores of other work and the hypervisor took "
       << before.value("steal_share", -1.0) * 100
       << " % of the CPU time of a spin on every core (waited " << before.value("waited_s", -1.0)
       << " s for quiet); each run's `cores.other` is what other processes used during it, "
          "`cores.steal` what the hypervisor gave to other guests.\n\n";
    md << "## Targets\n\n" << markdown_table(targets) << "\n";
    md << "## Scenarios\n\n";
    for (const auto& r : rs) {
        md << "### " << r.scenario << (r.ok ? "" : " (FAILED)") << "\n\n";
        Json setup = r.setup;
        for (const auto& [k, v] : m.items())
            setup.erase(k);
        md << "Set-up: `" << setup.dump() << "`\n\n";
        if (!r.note.empty()) md << r.note << "\n\n";
        if (!r.runs.empty()) md << markdown_table(r.runs) << "\n";
    }
    md << "## Sizing\n\n";
    if (size.contains("inputs")) {
        md << "Inputs: `" << size["inputs"].dump() << "`\n\n";
        std::vector<Json> rows(size["projection"].begin(), size["projection"].end());
        md << markdown_table(rows) << "\n";
    } else {
        md << "Not enough measurements.\n";
    }
    std::ofstream(std::filesystem::path(dir) / "results.md") << md.str();
}

}  // namespace blynk::bench
