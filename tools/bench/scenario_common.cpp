#include "tools/bench/scenario_common.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/proto/command.hpp"
#include "tools/bench/clock.hpp"
#include "tools/bench/messages.hpp"
#include "tools/bench/net.hpp"
#include "tools/bench/sysinfo.hpp"

namespace blynk::bench {

Settings server_settings(const Options& o, Settings scenario) {
    scenario.emplace_back("server.worker.threads", std::to_string(o.server_threads));
    scenario.insert(scenario.end(), o.server_settings.begin(), o.server_settings.end());
    return scenario;
}

namespace {

std::vector<std::string> strings_of(const std::vector<BenchDevice>& devices,
                                    std::string BenchDevice::*field) {
    std::vector<std::string> out;
    out.reserve(devices.size());
    for (const auto& d : devices)
        out.push_back(d.*field);
    return out;
}

}  // namespace

std::vector<std::string> tokens_of(const std::vector<BenchDevice>& devices) {
    return strings_of(devices, &BenchDevice::token);
}

std::vector<std::string> emails_of(const std::vector<BenchDevice>& devices) {
    return strings_of(devices, &BenchDevice::email);
}

std::vector<HeldConn> login_held(StormConfig c, const std::string& what) {
    c.keep_open = true;
    StormResult r = run_storm(c);
    if (r.ok != c.count) {
        close_held(r.held);
        throw std::runtime_error("logging " + std::to_string(c.count) + " " + what +
                                 " in failed: " + r.failure_summary());
    }
    std::sort(r.held.begin(), r.held.end(),
              [](const HeldConn& a, const HeldConn& b) { return a.index < b.index; });
    return std::move(r.held);
}

std::vector<int> login_plain(uint16_t port, const std::vector<std::string>& tokens,
                             size_t concurrency) {
    StormConfig c;
    c.port = port;
    c.tokens = &tokens;
    c.count = tokens.size();
    c.concurrency = concurrency;
    c.max_seconds = 60;
    std::vector<int> fds;
    for (const auto& h : login_held(c, "devices"))
        fds.push_back(h.fd);
    return fds;
}

std::vector<HeldConn> login_apps(uint16_t tls_port, SSL_CTX* ctx,
                                 const std::vector<std::string>& emails) {
    StormConfig c;
    c.port = tls_port;
    c.tls = ctx;
    c.tokens = &emails;
    c.app_hash = bench_app_password().given;
    c.count = emails.size();
    c.concurrency = kAppLoginConcurrency;
    // PBKDF2 on one server thread: tens of milliseconds per login, one after the other.
    c.max_seconds = 30 + 0.25 * static_cast<double>(emails.size());
    c.timeout_s = 60;
    return login_held(c, "apps");
}

void init_bridge(int a, const std::string& token_b) {
    std::string frame;
    append_frame(frame, proto::cmd::kBridge, 1, {"1", "i", token_b});
    std::string reply;
    if (!send_all(a, frame, 5000) || !recv_exact(a, 5, reply, 5000) ||
        reply != std::string_view("\x00\x00\x01\x00\xc8", 5)) {
        throw std::runtime_error("bridge init was not answered 200");
    }
}

void close_fds(std::vector<int>& fds) {
    for (int fd : fds)
        close_with_rst(fd);
    fds.clear();
}

EchoConnections connect_echo(uint16_t port, size_t pairs) {
    EchoConnections c;
    for (size_t i = 0; i < 2 * pairs; ++i) {
        const int fd = connect_loopback_blocking(port, 5000);
        if (fd < 0) {
            close_fds(c.fds);
            throw std::runtime_error("cannot connect to the echo server");
        }
        c.fds.push_back(fd);
    }
    for (size_t p = 0; p < pairs; ++p)
        c.streams.push_back(stream_of(c.fds[2 * p], c.fds[2 * p]));
    return c;
}

CpuMeter::CpuMeter(pid_t server, double other_in_self)
    : server_(server),
      server0_(server > 0 ? cpu_seconds(server) : 0),
      self0_(self_cpu_seconds()),
      other0_(other_in_self),
      machine0_(machine_busy_seconds()),
      steal0_(machine_steal_seconds()),
      t0_(now_ns()) {}

Json CpuMeter::cores(double other_in_self) const {
    const double wall = static_cast<double>(now_ns() - t0_) / 1e9;
    Json j;
    // Without a server process the in-process "other" thread (the echo server) is the server.
    const double server = server_ > 0 ? cpu_seconds(server_) - server0_ : other_in_self - other0_;
    const double self = self_cpu_seconds() - self0_;
    j["server"] = round_sig(server / wall, 3);
    j["bench"] = round_sig((self - (other_in_self - other0_)) / wall, 3);
    // /proc/stat counts in 10 ms ticks, rusage finer: small negative noise is clamped.
    const double steal = machine_steal_seconds() - steal0_;
    const double others =
        machine_busy_seconds() - machine0_ - self - (server_ > 0 ? server : 0) - steal;
    j["other"] = round_sig(std::max(0.0, others / wall), 2);
    j["steal"] = round_sig(steal / wall, 2);
    return j;
}

RssSampler::RssSampler(pid_t pid) : pid_(pid) {
    thread_ = std::thread([this] {
        // Bounded: the scenario that owns the sampler always stops it within its own run time.
        while (!stop_) {
            const uint64_t kib = rss_kib(pid_);
            max_kib_ = std::max<uint64_t>(max_kib_, kib);
            {
                std::lock_guard lock(mutex_);
                samples_.push_back(kib);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
}

uint64_t RssSampler::at_kib(double seconds) const {
    std::lock_guard lock(mutex_);
    if (samples_.empty()) return 0;
    const auto i = static_cast<size_t>(std::max(0.0, seconds) * 10);
    return samples_[std::min(i, samples_.size() - 1)];
}

RssSampler::~RssSampler() {
    stop_ = true;
    thread_.join();
}

Json load_run_json(const std::string& name, size_t connections, const LoadConfig& config,
                   const LoadStats& s, const Json& cores) {
    Json j;
    j["run"] = name;
    j["connections"] = connections;
    if (config.rate > 0) {
        j["depth"] = "open";
        j["offered_per_s"] = round_sig(config.rate, 4);
    } else {
        j["depth"] = config.depth;
        j["offered_per_s"] = "max";
    }
    j["msgs_per_s"] = round_sig(s.completed_per_s(), 4);
    // Server CPU per message: comparable across runs whoever was the bottleneck.
    if (cores.contains("server") && s.completed_per_s() > 0) {
        j["server_us_per_msg"] =
            round_sig(cores["server"].get<double>() / s.completed_per_s() * 1e6, 3);
    }
    j["latency_us"] = s.deliveries ? s.delivery.summary_us() : s.ack.summary_us();
    j["errors"] = s.errors;
    j["unfinished"] = s.unfinished;
    if (s.skipped) j["skipped"] = s.skipped;
    if (s.broken_conns) j["broken_conns"] = s.broken_conns;
    j["cores"] = cores;
    return j;
}

void pause_s(double seconds) {
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6)));
}

Json stop_json(const StopStats& s) {
    Json j;
    j["exit_code"] = s.exit_code;
    j["pins_committed"] = s.pins_committed;
    j["flushes"] = s.flushes;
    j["commit_ms"] = s.commit_ms;
    j["max_pending"] = s.max_pending;
    j["stop_ms"] = round_sig(s.stop_ms, 3);
    return j;
}

Json load_setup(const Options& o) {
    Json setup = machine_setup();
    setup["duration_s"] = o.duration_s;
    setup["warmup_s"] = o.warmup_s;
    setup["bench_threads"] = o.threads;
    return setup;
}

std::vector<Json> depth_runs(const Options& o, const std::vector<uint32_t>& depths,
                             const std::vector<StreamFds>& streams, Workload& workload,
                             size_t connections, pid_t server, RunJson to_json,
                             const std::function<double()>& other_cpu) {
    auto other_now = [&] { return other_cpu ? other_cpu() : 0.0; };
    std::vector<Json> runs;
    double peak = 0;
    double unpipelined_peak = 0;
    LoadConfig c;
    c.warmup_s = o.warmup_s;
    c.duration_s = o.duration_s;
    for (uint32_t depth : depths) {
        c.depth = depth;
        CpuMeter cpu(server, other_now());
        const LoadStats s = run_load(streams, workload, c, o.threads);
        // In messages sent: the open-loop rate is one (with several receivers, completions
        // are a multiple of it).
        peak = std::max(peak, s.sent_per_s());
        if (depth == 1) unpipelined_peak = s.sent_per_s();
        runs.push_back(
            to_json("depth " + std::to_string(depth), connections, c, s, cpu.cores(other_now())));
    }
    auto open_loop = [&](const char* name, double rate) {
        c.rate = rate;
        CpuMeter cpu(server, other_now());
        const LoadStats s = run_load(streams, workload, c, o.threads);
        runs.push_back(to_json(name, connections, c, s, cpu.cores(other_now())));
    };
    if (o.rate > 0) {
        open_loop("half peak", o.rate);
    } else if (peak > 0) {
        open_loop("half peak", peak / 2);
        // One frame per wake-up at half of what unpipelined clients reach: a moderate load.
        if (unpipelined_peak > 0 && unpipelined_peak < peak) {
            open_loop("half unpipelined peak", unpipelined_peak / 2);
        }
    }
    return runs;
}

void require_delivery(ScenarioResult& r, const char* rate_field) {
    for (const auto& run : r.runs)
        if (run.value(rate_field, 0.0) <= 0) r.ok = false;
    if (!r.ok) r.note = "a run delivered no messages";
}

}  // namespace blynk::bench
