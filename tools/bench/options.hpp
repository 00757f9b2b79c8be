#pragma once
// Command line of blynk-bench: which scenarios, and the load parameters (each with a default
// for the standard suite and a much smaller one for the smoke profile).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/bench/blynkd_process.hpp"

namespace blynk::bench {

struct Options {
    std::vector<std::string> scenarios;  ///< names, or "suite" / "smoke"
    std::string blynkd = BLYNKD_BINARY;
    std::string out_dir;          ///< suite: where results.md / results.json go; "" = nowhere
    bool smoke = false;           ///< tiny sizes; the tool's own sanity only
    unsigned threads = 1;         ///< client threads of the load engine
    unsigned server_threads = 0;  ///< server.worker.threads (0 = one per core)
    double warmup_s = 0.5;
    double duration_s = 3;
    size_t pairs = 50;  ///< echo-baseline / bridge / fanout / app-write: senders (users)
    std::vector<uint32_t> depths{1, 16};
    size_t frame_size = 32;  ///< bytes on the wire per sent frame (header included)
    double rate = 0;         ///< open-loop msgs/s; 0 = half of the measured peak
    size_t idle_conns = 18000;
    double idle_hold_s = 2;
    size_t connect_devices = 1000;
    size_t connect_concurrency = 64;
    size_t startup_devices = 100000;
    size_t devices_per_user = 10;  ///< startup / idle provisioning
    size_t write_devices = 128;
    size_t write_pins = 256;  ///< distinct pins per device (persisted keys = devices × pins)
    uint32_t write_depth = 16;
    size_t write_wide_devices = 1024;  ///< second write run: devices × pins distinct keys
    size_t history_devices = 256;      ///< history: connections, one device (user) each
    size_t history_pins = 16;      ///< history: pins written per device (series = devices × pins)
    double history_rate = 200000;  ///< history: open-loop points per second
    size_t rest_conns = 32;
    std::vector<uint32_t> fanout_apps{1, 2};  ///< fanout: app sessions per user, one run each
    size_t app_idle_sessions = 2000;
    size_t profile_requests = 2000;
    size_t profile_widgets = 50;
    // soak (not part of the suite: run it by name, with --duration)
    size_t soak_devices = 10000;
    size_t soak_apps = 200;             ///< TLS app sessions, one per user of the first devices
    double soak_device_interval_s = 5;  ///< each device writes a pin once per interval
    double soak_app_interval_s = 2;     ///< each app session writes to its device once per interval
    double soak_churn_per_s = 20;       ///< devices dropped and logged in again per second
    double soak_warmup_s = 0;           ///< 0: duration / 6, between 10 s and 300 s
    bool soak_check = false;            ///< a missed non-timing goal fails the run
    double soak_rss_drift_pct = 2;      ///< the RSS drift goal
    uint64_t soak_wal_limit_mib = 256;  ///< the WAL's largest size allowed
    // noisy-neighbour (not part of the suite)
    size_t noisy_flood_conns = 64;  ///< user A's flooding connections
    double noisy_rate = 50;         ///< user B's BRIDGE writes per second (open loop)
    Settings server_settings;       ///< --server-set k=v, applied last
    double quiet_wait_s = 0;        ///< wait up to this long for other processes to go quiet

    /// Every scenario name, in suite order.
    static const std::vector<std::string>& all_scenarios();
    /// Scenarios run only by name (long, or for a report of their own), never by suite/smoke.
    static const std::vector<std::string>& extra_scenarios();
};

/// Parses argv; throws std::invalid_argument with a message for the user.
Options parse_options(int argc, char** argv);
/// The usage text.
std::string usage();

}  // namespace blynk::bench
