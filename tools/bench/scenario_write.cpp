// write: devices writing `vw` as fast as the server acknowledges them (hardware.write.ack=true
// answers 200 per accepted write; quota raised). Then: does the database end up holding the
// last value of every (device, pin), and how long after the last write; how many pin values the
// server committed in how many flushes (its SIGTERM line); and whether its RSS stayed bounded.

#include <unordered_map>

#include "server/store/sql_handle.hpp"
#include "server/store/store.hpp"
#include "tools/bench/clock.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/sysinfo.hpp"
#include "tools/bench/workloads.hpp"

namespace blynk::bench {

namespace {

constexpr double kPersistWaitS = 15;

struct PersistCheck {
    size_t keys = 0;
    size_t matched = 0;
    double lag_ms = -1;  ///< from the end of the load until every key matched; -1 = never
};

// Expected "email/device/vPIN" → value; polled until the database agrees or the wait ends.
PersistCheck check_persisted(const std::filesystem::path& data_dir,
                             const std::vector<BenchDevice>& devices, const WriteWorkload& w,
                             uint64_t load_end_ns) {
    std::unordered_map<std::string, std::string> expected;
    for (size_t s = 0; s < devices.size(); ++s) {
        for (size_t p = 0; p < w.pins(); ++p) {
            const std::string& v = w.last_value(s, p);
            if (v.empty()) continue;
            expected[devices[s].email + "/" + std::to_string(devices[s].device_id) + "/v" +
                     std::to_string(p)] = v;
        }
    }
    PersistCheck c;
    c.keys = expected.size();
    store::Database db(store::Store::db_path(data_dir).string());
    const uint64_t deadline = now_ns() + seconds_ns(kPersistWaitS);
    do {
        size_t matched = 0;
        {
            store::Statement st(db, "SELECT user_email, device_id, pin, value FROM pin_values",
                                "bench: read pin values");
            while (st.step()) {
                auto it = expected.find(st.column_text(0) + "/" + st.column_text(1) + "/" +
                                        st.column_text(2));
                if (it != expected.end() && it->second == st.column_blob(3)) ++matched;
            }
        }
        c.matched = matched;
        if (matched == c.keys) {
            c.lag_ms = static_cast<double>(now_ns() - load_end_ns) / 1e6;
            return c;
        }
        pause_s(0.05);
    } while (now_ns() < deadline);
    return c;
}

// One run against a fresh server: `devices` connections writing over o.write_pins pins each.
Json write_run(const Options& o, size_t device_count, uint32_t depth, std::string& problem) {
    TempDir dir("blynk-bench-write");
    const auto devices = provision(dir.path(), "write", device_count, 1);
    BlynkdProcess server(o.blynkd, dir.path(),
                         server_settings(o, {{"hardware.write.ack", "true"}}));
    server.start();
    std::vector<int> fds = login_plain(server.port(), tokens_of(devices), 64);
    std::vector<StreamFds> streams;
    for (int fd : fds)
        streams.push_back(stream_of(fd, fd));

    WriteWorkload workload(devices.size(), o.write_pins, o.frame_size);
    LoadConfig c;
    c.warmup_s = o.warmup_s;
    c.duration_s = o.duration_s;
    c.depth = depth;
    const uint64_t rss_before = rss_kib(server.pid());
    LoadStats s;
    Json cores;
    uint64_t rss_max = 0, rss_warm = 0, rss_mid = 0;
    const uint64_t load_start = now_ns();
    {
        RssSampler sampler(server.pid());
        CpuMeter cpu(server.pid());
        s = run_load(streams, workload, c, o.threads);
        cores = cpu.cores();
        rss_max = sampler.max_kib();
        // Bounded memory shows as a plateau: the end of the warm-up, the middle and the end.
        rss_warm = sampler.at_kib(o.warmup_s);
        rss_mid = sampler.at_kib(o.warmup_s + o.duration_s / 2);
    }
    const uint64_t load_end = now_ns();
    const PersistCheck persisted = check_persisted(dir.path(), devices, workload, load_end);
    const uint64_t rss_after = rss_kib(server.pid());
    close_fds(fds);
    const StopStats stop = server.stop();

    Json run = load_run_json(
        std::to_string(devices.size()) + " devices x " + std::to_string(o.write_pins) + " pins",
        devices.size(), c, s, cores);
    run.erase("msgs_per_s");
    run["writes_per_s"] = round_sig(s.completed_per_s(), 4);
    Json p;
    p["keys"] = persisted.keys;
    p["matched"] = persisted.matched;
    p["lag_ms"] = round_sig(persisted.lag_ms, 3);
    p["pins_committed"] = stop.pins_committed;
    p["flushes"] = stop.flushes;
    p["commit_ms"] = stop.commit_ms;
    p["max_pending"] = stop.max_pending;  // the storage queue's depth at its deepest
    // What SQLite sustains: rows per second of the storage thread's time inside transactions.
    if (stop.commit_ms > 0) {
        p["commit_capacity_per_s"] = round_sig(
            static_cast<double>(stop.pins_committed) * 1e3 / static_cast<double>(stop.commit_ms),
            4);
    }
    // Rows the server committed per second from the first write until the database held every
    // last value: its persistence rate (coalescing keeps only the last value per pin per flush).
    if (persisted.lag_ms >= 0 && stop.pins_committed > 0) {
        const double span =
            static_cast<double>(load_end - load_start) / 1e9 + persisted.lag_ms / 1e3;
        p["committed_per_s"] = round_sig(static_cast<double>(stop.pins_committed) / span, 4);
    }
    run["persisted"] = p;
    Json rss;
    rss["before_kib"] = rss_before;
    rss["warm_kib"] = rss_warm;
    rss["mid_kib"] = rss_mid;
    rss["max_kib"] = rss_max;
    rss["after_kib"] = rss_after;
    run["rss"] = rss;
    run["server_exit"] = stop.exit_code;
    if (s.acks == 0) {
        problem = "no write was acknowledged";
    } else if (persisted.matched != persisted.keys && problem.empty()) {
        // A correctness finding about the server, reported; not a failure of the tool.
        problem = "the database did not hold every last written value within " +
                  std::to_string(static_cast<int>(kPersistWaitS)) + " s";
    }
    return run;
}

}  // namespace

ScenarioResult run_write(const Options& o) {
    ScenarioResult r;
    r.scenario = "write";
    r.setup = load_setup(o);
    r.setup["server_threads"] = o.server_threads ? o.server_threads : cpu_count();
    r.setup["pins_per_device"] = o.write_pins;
    r.setup["frame_bytes"] = o.frame_size;
    r.setup["server_settings"] = "hardware.write.ack=true";
    std::string problem;
    // Few devices: most writes coalesce in the server (the last value per pin per flush wins).
    r.runs.push_back(write_run(o, o.write_devices, o.write_depth, problem));
    // Many devices: as many distinct pins as writes per flush, so nearly every write is a row.
    const uint32_t wide_depth =
        std::max<uint32_t>(1, static_cast<uint32_t>(o.write_depth * o.write_devices /
                                                    std::max<size_t>(1, o.write_wide_devices)));
    r.runs.push_back(write_run(o, o.write_wide_devices, wide_depth, problem));
    if (problem == "no write was acknowledged") r.ok = false;
    r.note = problem;
    return r;
}

}  // namespace blynk::bench
