// soak: a fleet of devices over plain TCP, TLS and the hardware WebSocket (interleaved 4:3:3),
// plus TLS app sessions for the first users, under a steady open-loop load (each device writes
// a pin every few seconds, answered 200; each app writes to its device) and reconnect churn (a
// steady number of devices per second dropped with RST and logged in again) for --duration
// seconds after a warm-up. The server's RSS, open files and WAL size are sampled throughout;
// at the end churn stops, every device is back, and the open files must equal the baseline
// (everything logged in, before the load); after closing everything, the count before the
// logins. Goals (non-timing) are reported; --soak-check makes a missed one fail the run.

#include <algorithm>
#include <sstream>

#include "server/store/store.hpp"
#include "tools/bench/clock.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/server_watch.hpp"
#include "tools/bench/soak_engine.hpp"
#include "tools/bench/sysinfo.hpp"
#include "tools/bench/tls_client.hpp"

namespace blynk::bench {

namespace {

constexpr double kSettleS = 3;
constexpr size_t kSeriesPoints = 12;
// WAL growth tolerated between the first and the last third of the measured window (SQLite
// reuses the file after each checkpoint; it only grows while a checkpoint cannot finish).
constexpr double kWalGrowth = 1.5;
constexpr uint64_t kWalSlackBytes = 1 << 20;

Transport transport_of(size_t device) {
    const size_t k = device % 10;
    return k < 4 ? Transport::Plain : k < 7 ? Transport::Tls : Transport::WebSocket;
}

// Logs every device in over its transport; held connections in device order.
std::vector<HeldConn> log_in_fleet(const BlynkdProcess& server, SSL_CTX* ctx,
                                   const std::vector<SoakDevice>& devices) {
    std::vector<HeldConn> held(devices.size());
    for (Transport t : {Transport::Plain, Transport::Tls, Transport::WebSocket}) {
        std::vector<size_t> group;
        std::vector<std::string> tokens;
        for (size_t d = 0; d < devices.size(); ++d) {
            if (devices[d].transport != t) continue;
            group.push_back(d);
            tokens.push_back(devices[d].token);
        }
        if (group.empty()) continue;
        StormConfig c;
        c.port = t == Transport::Tls ? server.tls_port() : server.port();
        c.tls = t == Transport::Tls ? ctx : nullptr;
        c.websocket = t == Transport::WebSocket;
        c.tokens = &tokens;
        c.count = group.size();
        c.concurrency = 64;
        c.max_seconds = 120;
        try {
            for (const HeldConn& h : login_held(c, std::string(transport_name(t)) + " devices"))
                held[group[h.index]] = h;
        } catch (...) {
            std::erase_if(held, [](const HeldConn& h) { return h.fd < 0; });
            close_held(held);
            throw;
        }
    }
    return held;
}

std::string num(double v) {
    std::ostringstream out;
    out << round_sig(v, 3);
    return out.str();
}

double rss_of(const ServerSample& s) {
    return static_cast<double>(s.rss_kib);
}
double wal_of(const ServerSample& s) {
    return static_cast<double>(s.wal_bytes);
}

Json goal(const std::string& what, const std::string& target, const std::string& measured,
          bool met) {
    Json j;
    j["run"] = what;
    j["goal"] = target;
    j["measured"] = measured;
    j["status"] = met ? "met" : "missed";
    return j;
}

}  // namespace

ScenarioResult run_soak(const Options& o) {
    ScenarioResult r;
    r.scenario = "soak";
    const double warmup =
        o.soak_warmup_s > 0 ? o.soak_warmup_s : std::clamp(o.duration_s / 6, 10.0, 300.0);
    TempDir dir("blynk-bench-soak");
    AppProvision app;
    app.app_login = true;
    app.active = true;
    const auto provisioned = provision(dir.path(), "soak", o.soak_devices, 1, app);
    BlynkdProcess server(o.blynkd, dir.path(),
                         server_settings(o, {{"hardware.write.ack", "true"},
                                             {"hard.socket.idle.timeout", "120"},
                                             {"app.socket.idle.timeout", "3600"}}));
    server.start();
    const pid_t pid = server.pid();
    const auto wal = std::filesystem::path(store::Store::db_path(dir.path()).string() + "-wal");
    pause_s(1);
    const ServerSample idle = sample_server(pid, wal, 0, 0);

    SoakConfig c;
    c.port = server.port();
    c.tls_port = server.tls_port();
    SslCtxPtr ctx = make_client_context();
    c.tls = ctx.get();
    for (size_t d = 0; d < provisioned.size(); ++d)
        c.devices.push_back(SoakDevice{provisioned[d].token, transport_of(d)});
    const uint64_t t0 = now_ns();
    std::vector<HeldConn> devices = log_in_fleet(server, ctx.get(), c.devices);
    const double device_login_s = static_cast<double>(now_ns() - t0) / 1e9;
    std::vector<HeldConn> apps;
    const size_t app_count = std::min(o.soak_apps, provisioned.size());
    try {
        std::vector<std::string> emails = emails_of(provisioned);
        emails.resize(app_count);
        if (!emails.empty()) apps = login_apps(server.tls_port(), ctx.get(), emails);
    } catch (...) {
        close_held(devices);
        throw;
    }
    pause_s(1);
    const ServerSample baseline = sample_server(pid, wal, 0, devices.size() + apps.size());

    c.warmup_s = warmup;
    c.duration_s = o.duration_s;
    c.device_interval_s = o.soak_device_interval_s;
    c.app_interval_s = o.soak_app_interval_s;
    c.churn_per_s = o.soak_churn_per_s;
    // About 720 samples whatever the length: one a second for short runs, every 5 s for an hour.
    c.sample_every_s = std::max(1.0, (warmup + o.duration_s) / 720);
    std::vector<ServerSample> samples;
    c.on_sample = [&](double t, size_t online) {
        samples.push_back(sample_server(pid, wal, t, online));
    };
    CpuMeter cpu(pid);
    SoakEngine engine(c, std::move(devices), std::move(apps));
    const SoakStats s = engine.run(kSettleS);
    const Json cores = cpu.cores();
    const size_t online_after = engine.online();
    const size_t fds_after_churn = wait_for_fds(pid, baseline.fds, 10);
    const ServerSample settled = sample_server(pid, wal, 0, online_after);
    engine.close_all();
    const size_t fds_after_close = wait_for_fds(pid, idle.fds, 10);
    r.setup = load_setup(o);
    r.setup["warmup_s"] = warmup;
    r.setup["server_threads"] = server.worker_threads();
    r.setup["devices"] = c.devices.size();
    r.setup["transports"] = "plain:TLS:WebSocket 4:3:3 (device i: i % 10 < 4 plain, < 7 TLS)";
    r.setup["app_sessions"] = app_count;
    r.setup["device_write_every_s"] = c.device_interval_s;
    r.setup["app_write_every_s"] = c.app_interval_s;
    r.setup["churn_devices_per_s"] = c.churn_per_s;
    r.setup["pins_per_device"] = c.pins;
    r.setup["device_logins_s"] = round_sig(device_login_s, 3);
    r.setup["sample_every_s"] = c.sample_every_s;
    r.setup["server_settings"] =
        "hardware.write.ack=true hard.socket.idle.timeout=120 app.socket.idle.timeout=3600";
    r.setup["server_stop"] = stop_json(server.stop());
    const LogLevels log = scan_log(server.log_path());
    r.setup["server_log"] = log.to_json();

    // Load.
    Json load;
    load["run"] = "load (measured window)";
    load["connections"] = c.devices.size() + app_count;
    const double secs = s.seconds;
    load["device_writes_per_s"] = round_sig(static_cast<double>(s.device_writes) / secs, 4);
    load["app_writes_per_s"] = round_sig(static_cast<double>(s.app_writes) / secs, 4);
    load["msgs_per_s"] = round_sig(
        static_cast<double>(s.ack.count() + s.to_device.count() + s.to_app.count()) / secs, 4);
    load["ack_latency_us"] = s.ack.summary_us();
    load["app_to_device_us"] = s.to_device.summary_us();
    load["device_to_app_us"] = s.to_app.summary_us();
    Json errors = Json::object();
    for (const auto& [code, n] : s.error_answers)
        errors[std::to_string(code)] = n;
    load["error_answers"] = errors;
    load["cores"] = cores;
    r.runs.push_back(load);
    Json churn;
    churn["run"] = "churn (whole run)";
    churn["dropped_by_bench"] = s.dropped_by_bench;
    churn["reconnects"] = s.reconnects;
    churn["lost_by_server"] = s.lost;
    churn["skipped_writes"] = s.skipped_writes;
    churn["unanswered_at_drop"] = s.unanswered;
    Json failures = Json::object();
    for (const auto& [reason, n] : s.reconnect_failures)
        failures[reason] = n;
    churn["reconnect_failures"] = failures;
    churn["online_after"] = online_after;
    r.runs.push_back(churn);

    // Server series and goals.
    const double from = warmup, to = warmup + o.duration_s;
    const double third = o.duration_s / 3;
    const double window = std::min(60.0, third);
    const double rss_start = median_in(samples, from, from + window, rss_of);
    const double rss_end = median_in(samples, to - window, to, rss_of);
    const double drift = rss_start > 0 ? (rss_end - rss_start) / rss_start * 100 : 0;
    uint64_t rss_max = 0, wal_max = 0;
    size_t fds_peak = 0;
    for (const auto& x : samples) {
        rss_max = std::max(rss_max, x.rss_kib);
        wal_max = std::max(wal_max, x.wal_bytes);
        fds_peak = std::max(fds_peak, x.fds);
    }
    double wal_first = 0, wal_last = 0;
    for (const auto& x : samples) {
        if (x.t_s >= from && x.t_s < from + third) wal_first = std::max(wal_first, wal_of(x));
        if (x.t_s >= to - third && x.t_s < to) wal_last = std::max(wal_last, wal_of(x));
    }
    Json server_row;
    server_row["run"] = "server";
    server_row["rss_mib"] = {{"idle", round_sig(idle.rss_kib / 1024.0, 4)},
                             {"logged_in", round_sig(baseline.rss_kib / 1024.0, 4)},
                             {"after_warmup", round_sig(rss_start / 1024, 4)},
                             {"end", round_sig(rss_end / 1024, 4)},
                             {"max", round_sig(rss_max / 1024.0, 4)}};
    server_row["rss_drift_pct"] = round_sig(drift, 3);
    server_row["fds"] = {{"idle", idle.fds},
                         {"baseline", baseline.fds},
                         {"peak", fds_peak},
                         {"after_churn", fds_after_churn},
                         {"after_close", fds_after_close}};
    server_row["wal_mib"] = {{"max_first_third", round_sig(wal_first / (1 << 20), 3)},
                             {"max_last_third", round_sig(wal_last / (1 << 20), 3)},
                             {"max", round_sig(static_cast<double>(wal_max) / (1 << 20), 3)},
                             {"settled", round_sig(settled.wal_bytes / double(1 << 20), 3)}};
    r.runs.push_back(server_row);
    const bool wal_ok = wal_last <= kWalGrowth * wal_first + kWalSlackBytes &&
                        wal_max <= o.soak_wal_limit_mib * (1ull << 20);
    std::vector<Json> goals{
        goal("RSS drift after warm-up", "< " + num(o.soak_rss_drift_pct) + " %", num(drift) + " %",
             drift < o.soak_rss_drift_pct),
        goal("open files after churn", "= baseline " + std::to_string(baseline.fds),
             std::to_string(fds_after_churn), fds_after_churn == baseline.fds),
        goal("open files after closing every connection", "= idle " + std::to_string(idle.fds),
             std::to_string(fds_after_close), fds_after_close == idle.fds),
        goal("WAL bounded",
             "last third <= 1.5 x first third + 1 MiB, max <= " +
                 std::to_string(o.soak_wal_limit_mib) + " MiB",
             num(wal_last / (1 << 20)) + " MiB vs " + num(wal_first / (1 << 20)) + " MiB", wal_ok),
        goal("error lines in the server log", "0", std::to_string(log.errors), log.errors == 0),
        goal("devices and apps online after churn", std::to_string(c.devices.size() + app_count),
             std::to_string(online_after), online_after == c.devices.size() + app_count),
    };
    for (auto& g : goals) {
        if (o.soak_check && g["status"] == "missed") {
            r.ok = false;
            r.note += (r.note.empty() ? "missed: " : "; ") + g["run"].get<std::string>();
        }
        r.runs.push_back(std::move(g));
    }
    for (Json& row : series_rows(samples, kSeriesPoints))
        r.runs.push_back(std::move(row));
    if (s.ack.count() == 0) {
        r.ok = false;
        r.note += (r.note.empty() ? "" : "; ") + std::string("no device write was answered");
    }
    return r;
}

}  // namespace blynk::bench
