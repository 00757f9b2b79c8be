// idle: N logged-in device connections held open, plain and then TLS, each against a fresh
// server with the same number of provisioned devices. The server's RSS is read before the
// connections (devices loaded, nobody connected) and after holding them; the difference per
// connection is what an idle connection costs. hard.socket.idle.timeout is raised to 120 s so
// that the first connections of a slow TLS storm are not timed out before the last one logs in.
// app-idle does the same with logged-in TLS app sessions (app.socket.idle.timeout raised).

#include <poll.h>
#include <unistd.h>

#include "tools/bench/login_storm.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/sysinfo.hpp"
#include "tools/bench/tls_client.hpp"

namespace blynk::bench {

namespace {

constexpr double kSettleS = 0.5;

// Connections the server has not closed: a closed one is readable (EOF) on our side.
size_t count_alive(const std::vector<HeldConn>& held) {
    std::vector<pollfd> p;
    for (const auto& h : held)
        p.push_back(pollfd{h.fd, POLLIN, 0});
    ::poll(p.data(), p.size(), 0);
    size_t alive = 0;
    for (const auto& x : p)
        if ((x.revents & (POLLIN | POLLHUP | POLLERR)) == 0) ++alive;
    return alive;
}

// What one run holds: devices (o.idle_conns, o.devices_per_user per user) or mobile apps
// (o.app_idle_sessions, one user each, logged in with the shared app password).
struct IdleKind {
    bool tls = false;
    bool login = true;  ///< false: connected, nothing sent
    bool app = false;
};

Json idle_run(const Options& o, IdleKind kind, SSL_CTX* ctx) {
    const bool tls = kind.tls;
    TempDir dir(kind.app ? "blynk-bench-app-idle"
                : tls    ? "blynk-bench-idle-tls"
                         : "blynk-bench-idle");
    const uint64_t self_before = rss_kib(::getpid());
    AppProvision app;
    app.app_login = kind.app;
    const size_t users =
        kind.app ? o.app_idle_sessions : std::max<size_t>(1, o.idle_conns / o.devices_per_user);
    const auto devices = provision(dir.path(), kind.app ? "app-idle" : "idle", users,
                                   kind.app ? 1 : o.devices_per_user, app);
    const auto tokens = kind.app ? emails_of(devices) : tokens_of(devices);
    BlynkdProcess server(o.blynkd, dir.path(),
                         server_settings(o, {{"hard.socket.idle.timeout", "120"},
                                             {"app.socket.idle.timeout", "3600"}}));
    server.start();
    pause_s(kSettleS);
    const uint64_t before = rss_kib(server.pid());
    const uint64_t anon_before = anon_rss_kib(server.pid());

    StormConfig c;
    c.port = tls ? server.tls_port() : server.port();
    c.tls = tls ? ctx : nullptr;
    c.tokens = &tokens;
    c.count = tokens.size();
    c.concurrency = o.connect_concurrency;
    c.max_seconds = 120;
    c.keep_open = true;
    c.login = kind.login;
    if (kind.app) {
        c.app_hash = bench_app_password().given;
        c.concurrency = kAppLoginConcurrency;
        c.max_seconds = 30 + 0.25 * static_cast<double>(tokens.size());
    }
    const double server_cpu0 = cpu_seconds(server.pid());
    StormResult s = run_storm(c);
    const double login_cpu_s = cpu_seconds(server.pid()) - server_cpu0;
    pause_s(o.idle_hold_s);
    const uint64_t after = rss_kib(server.pid());
    const uint64_t anon_after = anon_rss_kib(server.pid());
    const uint64_t self_after = rss_kib(::getpid());
    const size_t alive = count_alive(s.held);
    close_held(s.held);
    pause_s(kSettleS);
    const uint64_t after_close = rss_kib(server.pid());
    server.stop();

    Json j;
    j["run"] = std::string(kind.app ? "TLS app"
                           : tls    ? "TLS"
                                    : "plain") +
               (kind.login ? "" : ", nothing sent");
    j["transport"] = tls ? "TLS " + s.tls_key + " " + s.tls_version : "plain";
    j["connections"] = s.ok;
    j["alive"] = alive;
    j["failed"] = s.failed;
    j["logins_per_s"] = round_sig(s.logins_per_s(), 4);
    j["login_s"] = round_sig(s.seconds, 3);
    j["server_us_per_login"] =
        s.ok ? round_sig(login_cpu_s / static_cast<double>(s.ok) * 1e6, 3) : 0.0;
    j["rss_before_kib"] = before;
    j["rss_held_kib"] = after;
    j["rss_after_close_kib"] = after_close;
    j["anon_before_kib"] = anon_before;
    j["anon_held_kib"] = anon_after;
    j["bytes_per_conn"] = s.ok ? round_sig(static_cast<double>(after - std::min(after, before)) *
                                               1024.0 / static_cast<double>(s.ok),
                                           4)
                               : 0.0;
    // The same for the bench's own side of the connections (fd + OpenSSL client state), for
    // comparison.
    j["bench_bytes_per_conn"] =
        s.ok ? round_sig(static_cast<double>(self_after - std::min(self_after, self_before)) *
                             1024.0 / static_cast<double>(s.ok),
                         4)
             : 0.0;
    if (!s.failures.empty()) j["failures"] = s.failure_summary();
    return j;
}

void require_alive(ScenarioResult& r) {
    for (const auto& run : r.runs)
        if (run["alive"].get<size_t>() == 0) r.ok = false;
    if (!r.ok) r.note = "no connection could be held";
}

}  // namespace

ScenarioResult run_idle(const Options& o) {
    ScenarioResult r;
    r.scenario = "idle";
    r.setup = machine_setup();
    r.setup["connections_requested"] = o.idle_conns;
    r.setup["devices_per_user"] = o.devices_per_user;
    r.setup["hold_s"] = o.idle_hold_s;
    r.setup["server_threads"] = o.server_threads ? o.server_threads : cpu_count();
    r.setup["server_settings"] = "hard.socket.idle.timeout=120";
    r.setup["measured"] = "server VmRSS after holding minus before connecting, / connections";
    SslCtxPtr ctx = make_client_context();
    r.runs.push_back(idle_run(o, {false, true, false}, nullptr));
    r.runs.push_back(idle_run(o, {true, true, false}, ctx.get()));
    // Accepted but silent (the server waits up to login.timeout for the first bytes; the hold
    // is shorter): the part of a connection's cost that comes before any session exists.
    r.runs.push_back(idle_run(o, {false, false, false}, nullptr));
    require_alive(r);
    return r;
}

ScenarioResult run_app_idle(const Options& o) {
    ScenarioResult r;
    r.scenario = "app-idle";
    r.setup = machine_setup();
    r.setup["sessions_requested"] = o.app_idle_sessions;
    r.setup["users"] = "one per session, one device and dashboard each";
    r.setup["hold_s"] = o.idle_hold_s;
    r.setup["server_threads"] = o.server_threads ? o.server_threads : cpu_count();
    r.setup["server_settings"] =
        "app.socket.idle.timeout=3600";  // and hard.socket.idle.timeout=120
    r.setup["login_concurrency"] = kAppLoginConcurrency;
    r.setup["measured"] =
        "server VmRSS after holding minus before connecting, / sessions; logins are PBKDF2 "
        "checks on one server thread";
    SslCtxPtr ctx = make_client_context();
    r.runs.push_back(idle_run(o, {true, true, true}, ctx.get()));
    require_alive(r);
    return r;
}

}  // namespace blynk::bench
