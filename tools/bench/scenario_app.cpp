// fanout and app-write: the mobile-app protocol under message load. Every user has one device
// (plain TCP) and app sessions (TLS on the TLS port, the app's 7-byte framing) on an active
// dashboard 1. fanout: each device writes `vw\01\0<stamp>` (HARDWARE) and every app session of
// its user receives `1-0\0vw\01\0<stamp>`; a write completes when all of them have it.
// app-write: each user's one app session writes `1-0\0vw\01\0<stamp>` and the device receives
// `vw\01\0<stamp>` (a second app session would get an APP_SYNC echo of every write, so there is
// one: what is measured is delivery to the device).

#include "common/proto/command.hpp"
#include "tools/bench/clock.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/tls_client.hpp"
#include "tools/bench/workloads.hpp"

namespace blynk::bench {

namespace {

// Devices send nothing in app-write while app logins (PBKDF2, one after the other) and the runs
// go by: the default 23 s read-idle rule for hardware would close them.
const Settings kAppSettings{{"hard.socket.idle.timeout", "120"}};

// A server whose `users` users each have one device logged in over plain TCP and `apps` app
// sessions logged in over TLS.
class AppFleet {
public:
    AppFleet(const Options& o, const std::string& name, size_t users, size_t apps)
        : dir_("blynk-bench-" + name),
          server_(o.blynkd, dir_.path(), server_settings(o, kAppSettings)),
          ctx_(make_client_context(false)),
          apps_per_user_(apps) {
        AppProvision app;
        app.app_login = true;
        app.active = true;
        const auto devices = provision(dir_.path(), name, users, 1, app);
        server_.start();
        devices_ = login_plain(server_.port(), tokens_of(devices), 64);
        std::vector<std::string> emails;
        for (const auto& email : emails_of(devices))
            emails.insert(emails.end(), apps, email);
        const uint64_t t0 = now_ns();
        try {
            apps_ = login_apps(server_.tls_port(), ctx_.get(), emails);
        } catch (...) {
            close_fds(devices_);
            throw;
        }
        login_s_ = static_cast<double>(now_ns() - t0) / 1e9;
    }
    ~AppFleet() { close(); }
    AppFleet(const AppFleet&) = delete;
    AppFleet& operator=(const AppFleet&) = delete;

    pid_t pid() const { return server_.pid(); }
    unsigned server_threads() const { return server_.worker_threads(); }
    size_t connections() const { return devices_.size() + apps_.size(); }
    Endpoint device(size_t user) const { return Endpoint{devices_[user], nullptr, Wire::Hardware}; }
    /// App session `k` of `user`.
    Endpoint app(size_t user, size_t k) const {
        const HeldConn& h = apps_[user * apps_per_user_ + k];
        return Endpoint{h.fd, h.ssl, Wire::App};
    }
    /// What was set up, and how long the app logins took.
    Json setup() const {
        Json j;
        j["users"] = devices_.size();
        j["apps_per_user"] = apps_per_user_;
        j["app_sessions"] = apps_.size();
        j["app_logins_s"] = round_sig(login_s_, 3);
        return j;
    }
    /// Closes every connection and stops the server: its stop line.
    Json stop() {
        close();
        return stop_json(server_.stop());
    }

private:
    void close() {
        close_held(apps_);
        close_fds(devices_);
    }

    TempDir dir_;
    BlynkdProcess server_;
    SslCtxPtr ctx_;
    size_t apps_per_user_;
    std::vector<int> devices_;
    std::vector<HeldConn> apps_;
    double login_s_ = 0;
};

Json app_setup(const Options& o) {
    Json setup = load_setup(o);
    setup["frame_bytes"] = o.frame_size;
    setup["transport"] = "devices plain TCP, apps TLS (generated ECDSA certificate)";
    setup["server_settings"] = "hard.socket.idle.timeout=120";
    return setup;
}

// fanout counts deliveries (every app session's); the devices' writes are these / apps per user.
Json fanout_run_json(const std::string& name, size_t connections, const LoadConfig& c,
                     const LoadStats& s, const Json& cores) {
    Json j = load_run_json(name, connections, c, s, cores);
    j["device_writes_per_s"] = round_sig(s.sent_per_s(), 4);
    return j;
}

}  // namespace

ScenarioResult run_fanout(const Options& o) {
    ScenarioResult r;
    r.scenario = "fanout";
    r.setup = app_setup(o);
    r.setup["measured"] = "msgs/s and latency of device writes at the app sessions (all of them)";
    RelayWorkload workload(proto::cmd::kHardware, proto::Layout::Hardware, "", o.frame_size);
    Json fleets = Json::array();
    for (uint32_t apps : o.fanout_apps) {
        AppFleet fleet(o, "fanout", o.pairs, apps);
        std::vector<StreamFds> streams;
        for (size_t u = 0; u < o.pairs; ++u) {
            StreamFds s{fleet.device(u), {}};
            for (size_t k = 0; k < apps; ++k)
                s.rx.push_back(fleet.app(u, k));
            streams.push_back(std::move(s));
        }
        r.setup["server_threads"] = fleet.server_threads();
        const std::string suffix = apps == 1 ? ", 1 app" : ", " + std::to_string(apps) + " apps";
        for (Json& run : depth_runs(o, o.depths, streams, workload, fleet.connections(),
                                    fleet.pid(), fanout_run_json)) {
            run["run"] = run["run"].get<std::string>() + suffix;
            r.runs.push_back(std::move(run));
        }
        Json f = fleet.setup();
        f["server_stop"] = fleet.stop();
        fleets.push_back(std::move(f));
    }
    r.setup["fleets"] = fleets;
    require_delivery(r, "msgs_per_s");
    return r;
}

ScenarioResult run_app_write(const Options& o) {
    ScenarioResult r;
    r.scenario = "app-write";
    r.setup = app_setup(o);
    r.setup["measured"] = "msgs/s and latency of app writes at the devices";
    AppFleet fleet(o, "app-write", o.pairs, 1);
    std::vector<StreamFds> streams;
    for (size_t u = 0; u < o.pairs; ++u)
        streams.push_back(StreamFds{fleet.app(u, 0), {fleet.device(u)}});
    r.setup["server_threads"] = fleet.server_threads();
    r.setup["fleet"] = fleet.setup();
    RelayWorkload workload(proto::cmd::kHardware, proto::Layout::App, "1-0", o.frame_size);
    r.runs = depth_runs(o, o.depths, streams, workload, fleet.connections(), fleet.pid());
    r.setup["server_stop"] = fleet.stop();
    require_delivery(r, "msgs_per_s");
    return r;
}

}  // namespace blynk::bench
