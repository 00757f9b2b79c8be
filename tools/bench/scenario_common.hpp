#pragma once
// Pieces shared by the scenarios: server settings, logging devices in, CPU and RSS sampling,
// and the JSON shape of a load run.

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tools/bench/blynkd_process.hpp"
#include "tools/bench/load_engine.hpp"
#include "tools/bench/login_storm.hpp"
#include "tools/bench/options.hpp"
#include "tools/bench/provision.hpp"
#include "tools/bench/report.hpp"

namespace blynk::bench {

/// `scenario` settings, then server.worker.threads, then the user's --server-set.
Settings server_settings(const Options& o, Settings scenario);

/// The devices' tokens, in order.
std::vector<std::string> tokens_of(const std::vector<BenchDevice>& devices);

/// App logins at once: the server checks passwords (PBKDF2) on one thread and tells logins
/// beyond 64 waiting checks to retry, so more would only wait.
constexpr size_t kAppLoginConcurrency = 8;

/// Runs the storm `c` keeping every connection, and returns them in login order; throws naming
/// `what` when any login fails.
std::vector<HeldConn> login_held(StormConfig c, const std::string& what);

/// Logs every token in over plain TCP (connection i uses tokens[i]) and returns the fds in
/// token order; throws when any login fails.
std::vector<int> login_plain(uint16_t port, const std::vector<std::string>& tokens,
                             size_t concurrency);

/// Logs one mobile app in per e-mail (the bench's shared app password) over TLS on `tls_port`,
/// kAppLoginConcurrency at a time; in e-mail order. Throws when any login fails.
std::vector<HeldConn> login_apps(uint16_t tls_port, SSL_CTX* ctx,
                                 const std::vector<std::string>& emails);

/// The e-mail of every device's user, in device order.
std::vector<std::string> emails_of(const std::vector<BenchDevice>& devices);

/// Sends `1\0i\0<token_b>` (BRIDGE) on device connection `a` and waits for its 200: from then
/// on bridge pin 1 of A targets B. Throws otherwise.
void init_bridge(int a, const std::string& token_b);

/// Closes fds (RST) and clears the vector.
void close_fds(std::vector<int>& fds);

/// 2 x `pairs` connections to the in-process echo server (`fds`), and the streams that drive
/// one of each pair (the echo answers on the connection it was sent on).
struct EchoConnections {
    std::vector<int> fds;
    std::vector<StreamFds> streams;
};
EchoConnections connect_echo(uint16_t port, size_t pairs);

/// Average cores used by the server and by the bench between construction and cores().
class CpuMeter {
public:
    /// `server` may be -1 (no server); `other_in_self` is CPU time of a thread inside this
    /// process that is not load generation (the echo server), to be subtracted.
    explicit CpuMeter(pid_t server, double other_in_self = 0);
    /// {"server", "bench", "other", "steal"}: average cores used by the server, by the bench,
    /// by anything else on the machine (a busy neighbour skews a run), and taken by the
    /// hypervisor for other guests (a busy host skews it too).
    Json cores(double other_in_self = 0) const;

private:
    pid_t server_;
    double server0_, self0_, other0_, machine0_, steal0_;
    uint64_t t0_;
};

/// Samples a process's RSS every 100 ms on a thread of its own, keeping the maximum.
class RssSampler {
public:
    explicit RssSampler(pid_t pid);
    ~RssSampler();
    RssSampler(const RssSampler&) = delete;
    RssSampler& operator=(const RssSampler&) = delete;
    uint64_t max_kib() const { return max_kib_; }
    /// The sample taken `seconds` after construction (or the last one before), 0 if none.
    uint64_t at_kib(double seconds) const;

private:
    pid_t pid_;
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> max_kib_{0};
    mutable std::mutex mutex_;
    std::vector<uint64_t> samples_;  ///< one per 100 ms
    std::thread thread_;
};

/// One load run as JSON: run, connections, depth/offered rate, rates, latency, errors, cores.
Json load_run_json(const std::string& name, size_t connections, const LoadConfig& config,
                   const LoadStats& stats, const Json& cores);

/// Sleeps for `seconds`.
void pause_s(double seconds);

/// `blynkd` stop statistics as JSON.
Json stop_json(const StopStats& s);

/// The set-up every message-load scenario records: the machine, then duration, warm-up and
/// bench threads.
Json load_setup(const Options& o);

/// Builds one run's JSON: load_run_json, or a scenario's own shape of it.
using RunJson = Json (*)(const std::string& name, size_t connections, const LoadConfig& config,
                         const LoadStats& stats, const Json& cores);

/// Closed-loop runs at each of `depths` ("depth N"), then an open-loop run ("half peak") at
/// o.rate, or at half of the best closed-loop send rate when o.rate is 0; in that case also one
/// at half of the depth-1 rate ("half unpipelined peak") when pipelining reached more.
/// `other_cpu` gives the CPU seconds of threads in this process that are not load (the echo
/// server).
std::vector<Json> depth_runs(const Options& o, const std::vector<uint32_t>& depths,
                             const std::vector<StreamFds>& streams, Workload& workload,
                             size_t connections, pid_t server, RunJson to_json = load_run_json,
                             const std::function<double()>& other_cpu = {});

/// Marks `r` failed when a run's `rate_field` is zero: nothing went through.
void require_delivery(ScenarioResult& r, const char* rate_field);

}  // namespace blynk::bench
