// idle: N logged-in device connections held open, plain and then TLS, each against a fresh
// server with the same number of provisioned devices. The server's RSS is read before the
// connections (devices loaded, nobody connected) and after holding them; the difference per
// connection is what an idle connection costs. hard.socket.idle.timeout is raised to 120 s so
// that the first connections of a slow TLS storm are not timed out before the last one logs in.

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

Json idle_run(const Options& o, bool tls, SSL_CTX* ctx, bool login) {
    const size_t users = std::max<size_t>(1, o.idle_conns / o.devices_per_user);
    TempDir dir(tls ? "blynk-bench-idle-tls" : "blynk-bench-idle");
    const uint64_t self_before = rss_kib(::getpid());
    const auto tokens = tokens_of(provision(dir.path(), "idle", users, o.devices_per_user));
    BlynkdProcess server(o.blynkd, dir.path(),
                         server_settings(o, {{"hard.socket.idle.timeout", "120"}}));
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
    c.login = login;
    StormResult s = run_storm(c);
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
    j["run"] = std::string(tls ? "TLS" : "plain") + (login ? "" : ", nothing sent");
    j["transport"] = tls ? "TLS " + s.tls_key + " " + s.tls_version : "plain";
    j["connections"] = s.ok;
    j["alive"] = alive;
    j["failed"] = s.failed;
    j["logins_per_s"] = round_sig(s.logins_per_s(), 4);
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
    r.runs.push_back(idle_run(o, false, nullptr, true));
    r.runs.push_back(idle_run(o, true, ctx.get(), true));
    // Accepted but silent (the server waits up to login.timeout for the first bytes; the hold
    // is shorter): the part of a connection's cost that comes before any session exists.
    r.runs.push_back(idle_run(o, false, nullptr, false));
    for (const auto& run : r.runs)
        if (run["alive"].get<size_t>() == 0) r.ok = false;
    if (!r.ok) r.note = "no connection could be held";
    return r;
}

}  // namespace blynk::bench
