// history: devices write numeric values (`vw\0<pin>\0<number>`, cmd 20, answered 200 with
// hardware.write.ack=true) and the server keeps every one as a history point
// (history.all.pins=true). Runs: a closed loop for the peak the server accepts, then an open loop
// at --history-rate with history off and again with it on, so the ack latency shows what keeping
// history costs the hub. After each run with history the raw points are counted in blynkd.db
// until every acknowledged write is there: points stored per second from the first write until
// the last was committed, the lag, the points the server dropped (its stop line), and bytes per
// stored point (dbstat: the pages of history_raw per row).

#include <charconv>
#include <regex>

#include "common/proto/command.hpp"
#include "server/store/sql_handle.hpp"
#include "server/store/store.hpp"
#include "tools/bench/clock.hpp"
#include "tools/bench/messages.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/sysinfo.hpp"

namespace blynk::bench {

namespace {

constexpr double kStoreWaitS = 30;

/// Writes pin `seq % pins` of each device with a number that changes every write.
class HistoryWorkload final : public Workload {
public:
    explicit HistoryWorkload(size_t pins) : pins_(pins) {
        for (size_t p = 0; p < pins; ++p)
            pin_names_.push_back(std::to_string(p));
    }
    void append_request(std::string& out, size_t, uint64_t seq, uint64_t) override {
        char value[32];
        const double number = static_cast<double>(seq % 100000) / 8.0;
        const auto end = std::to_chars(value, value + sizeof value, number).ptr;
        append_frame(out, proto::cmd::kHardware, message_id(seq),
                     {"vw", pin_names_[seq % pins_], std::string_view(value, end - value)});
    }
    bool release_on_ack() const override { return true; }

private:
    size_t pins_;
    std::vector<std::string> pin_names_;
};

int64_t count_points(store::Database& db) {
    store::Statement st(db, "SELECT count(*) FROM history_raw", "bench: count history points");
    return st.step() ? st.column_int64(0) : 0;
}

/// Bytes of history_raw's b-tree pages per row; -1 when SQLite lacks the dbstat table.
double bytes_per_point(const std::filesystem::path& data_dir) {
    store::Database db(store::Store::db_path(data_dir).string());
    try {
        store::Statement st(db,
                            "SELECT (SELECT sum(pgsize) FROM dbstat WHERE name = 'history_raw'), "
                            "(SELECT count(*) FROM history_raw)",
                            "bench: measure history pages");
        if (!st.step() || st.column_int64(1) == 0) return -1;
        return static_cast<double>(st.column_int64(0)) / static_cast<double>(st.column_int64(1));
    } catch (const store::StoreError&) {
        return -1;
    }
}

/// The history figures of the server's stop line: points stored and dropped.
std::pair<int64_t, int64_t> history_stop_counts(const std::string& log) {
    const std::regex line(R"((\d+) history point\(s\) stored, (\d+) dropped)");
    std::smatch m;
    const size_t at = log.rfind("stopped; ");
    const std::string tail = at == std::string::npos ? "" : log.substr(at, 400);
    if (!std::regex_search(tail, m, line)) return {-1, -1};
    return {std::stoll(m[1]), std::stoll(m[2])};
}

Json history_run(const Options& o, const std::string& name, bool history, double rate,
                 std::string& problem) {
    TempDir dir("blynk-bench-history");
    const auto devices = provision(dir.path(), "history", o.history_devices, 1);
    BlynkdProcess server(o.blynkd, dir.path(),
                         server_settings(o, {{"hardware.write.ack", "true"},
                                             {"history.all.pins", history ? "true" : "false"},
                                             {"history.backlog.max.points", "10000000"}}));
    server.start();
    std::vector<int> fds = login_plain(server.port(), tokens_of(devices), 64);
    std::vector<StreamFds> streams;
    for (int fd : fds)
        streams.push_back(stream_of(fd, fd));

    HistoryWorkload workload(o.history_pins);
    LoadConfig c;
    c.warmup_s = o.warmup_s;
    c.duration_s = o.duration_s;
    c.depth = o.write_depth;
    c.rate = rate;
    LoadStats s;
    Json cores;
    const uint64_t load_start = now_ns();
    {
        CpuMeter cpu(server.pid());
        s = run_load(streams, workload, c, o.threads);
        cores = cpu.cores();
    }
    const uint64_t load_end = now_ns();
    Json run = load_run_json(name, devices.size(), c, s, cores);
    run.erase("msgs_per_s");
    run["writes_per_s"] = round_sig(s.completed_per_s(), 4);
    if (history) {
        // Every acknowledged write is a point; wait until the database holds them all.
        const auto expected = static_cast<int64_t>(s.total_completed);
        store::Database db(store::Store::db_path(dir.path()).string());
        const uint64_t deadline = now_ns() + seconds_ns(kStoreWaitS);
        int64_t stored = count_points(db);
        while (stored < expected && now_ns() < deadline) {
            pause_s(0.05);
            stored = count_points(db);
        }
        const double lag_s = static_cast<double>(now_ns() - load_end) / 1e9;
        Json h;
        h["acknowledged"] = expected;
        h["stored"] = stored;
        h["lag_ms"] = round_sig(lag_s * 1e3, 3);
        h["stored_per_s"] = round_sig(
            static_cast<double>(stored) / (static_cast<double>(load_end - load_start) / 1e9 +
                                           (stored >= expected ? lag_s : kStoreWaitS)),
            4);
        run["history"] = h;
        if (stored < expected && problem.empty()) {
            problem = "the database held " + std::to_string(stored) + " of " +
                      std::to_string(expected) + " acknowledged points after " +
                      std::to_string(static_cast<int>(kStoreWaitS)) + " s";
        }
    }
    close_fds(fds);
    const StopStats stop = server.stop();
    run["server_exit"] = stop.exit_code;
    if (history) {
        const auto [stored, dropped] = history_stop_counts(server.log());
        run["history"]["server_stored"] = stored;
        run["history"]["server_dropped"] = dropped;
        run["history"]["bytes_per_point"] = round_sig(bytes_per_point(dir.path()), 3);
    }
    if (s.acks == 0) problem = "no write was acknowledged";
    return run;
}

}  // namespace

ScenarioResult run_history(const Options& o) {
    ScenarioResult r;
    r.scenario = "history";
    r.setup = load_setup(o);
    r.setup["server_threads"] = o.server_threads ? o.server_threads : cpu_count();
    r.setup["devices"] = o.history_devices;
    r.setup["pins_per_device"] = o.history_pins;
    r.setup["server_settings"] =
        "hardware.write.ack=true, history.all.pins=true|false, history.backlog.max.points=1e7";
    std::string problem;
    r.runs.push_back(history_run(o, "peak, history on, depth " + std::to_string(o.write_depth),
                                 true, 0, problem));
    const double rate = o.history_rate;
    const std::string at = std::to_string(static_cast<int64_t>(rate)) + "/s";
    r.runs.push_back(history_run(o, "open loop " + at + ", history off", false, rate, problem));
    r.runs.push_back(history_run(o, "open loop " + at + ", history on", true, rate, problem));
    if (problem == "no write was acknowledged") r.ok = false;
    r.note = problem;
    return r;
}

}  // namespace blynk::bench
