// connect: login storms. Each connection connects, (TLS: handshakes), logs in, reads the 200
// and is reset; `concurrency` are in progress at once. Plain; TLS with the server's generated
// ECDSA P-256 certificate (full handshakes, sessions saved); TLS resuming those sessions; TLS
// against a second server configured with an RSA-2048 pair the bench generates.

#include <openssl/ssl.h>

#include "tools/bench/login_storm.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/tls_client.hpp"

namespace blynk::bench {

namespace {

constexpr size_t kUnbounded = 100'000'000;  // storms are bounded by time

Json storm_json(const std::string& name, const std::string& transport, const StormResult& s,
                size_t concurrency, const Json& cores) {
    Json j;
    j["run"] = name;
    j["transport"] = transport;
    j["concurrency"] = concurrency;
    j["ok"] = s.ok;
    j["failed"] = s.failed;
    j["logins_per_s"] = round_sig(s.logins_per_s(), 4);
    // Server CPU per login: its capacity even when the bench's TLS client is the bottleneck.
    if (s.logins_per_s() > 0)
        j["server_us_per_login"] =
            round_sig(cores["server"].get<double>() / s.logins_per_s() * 1e6, 3);
    if (s.handshake.count()) {
        j["handshakes_per_s"] =
            round_sig(s.seconds > 0 ? static_cast<double>(s.handshake.count()) / s.seconds : 0, 4);
        j["resumed"] = s.reused;
        j["handshake_us"] = s.handshake.summary_us();
    }
    j["login_us"] = s.login.summary_us();
    j["cores"] = cores;
    if (!s.failures.empty()) j["failures"] = s.failure_summary();
    return j;
}

StormResult storm(uint16_t port, SSL_CTX* tls, const std::vector<std::string>& tokens,
                  const Options& o, size_t count, const std::vector<SSL_SESSION*>* resume,
                  bool save) {
    StormConfig c;
    c.port = port;
    c.tls = tls;
    c.tokens = &tokens;
    c.count = count;
    c.concurrency = o.connect_concurrency;
    c.max_seconds = o.duration_s;
    c.resume = resume;
    c.save_sessions = save;
    return run_storm(c);
}

std::string tls_name(const StormResult& s) {
    return "TLS " + s.tls_key + " " + s.tls_version + " " + s.tls_cipher;
}

}  // namespace

ScenarioResult run_connect(const Options& o) {
    ScenarioResult r;
    r.scenario = "connect";
    const size_t users = std::max<size_t>(1, o.connect_devices / o.devices_per_user);
    TempDir dir("blynk-bench-connect");
    const auto devices = provision(dir.path(), "connect", users, o.devices_per_user);
    const auto tokens = tokens_of(devices);
    SslCtxPtr ctx = make_client_context();

    r.setup = machine_setup();
    r.setup["devices"] = tokens.size();
    r.setup["concurrency"] = o.connect_concurrency;
    r.setup["duration_s"] = o.duration_s;
    r.setup["close"] = "RST after the login answer";
    r.setup["server_settings"] = "tls.handshake.per.ip.limit=100000";

    std::vector<SSL_SESSION*> sessions;
    {
        BlynkdProcess server(o.blynkd, dir.path(), server_settings(o, {}));
        server.start();
        r.setup["server_threads"] = server.worker_threads();
        {
            CpuMeter cpu(server.pid());
            const StormResult s =
                storm(server.port(), nullptr, tokens, o, kUnbounded, nullptr, false);
            r.runs.push_back(storm_json("plain", "plain", s, o.connect_concurrency, cpu.cores()));
        }
        {
            CpuMeter cpu(server.pid());
            StormResult s =
                storm(server.tls_port(), ctx.get(), tokens, o, kUnbounded, nullptr, true);
            sessions = std::move(s.sessions);
            r.runs.push_back(
                storm_json("TLS full", tls_name(s), s, o.connect_concurrency, cpu.cores()));
        }
        if (!sessions.empty()) {
            CpuMeter cpu(server.pid());
            const StormResult s =
                storm(server.tls_port(), ctx.get(), tokens, o, sessions.size(), &sessions, false);
            r.runs.push_back(
                storm_json("TLS resumed", tls_name(s), s, o.connect_concurrency, cpu.cores()));
        }
        server.stop();
    }
    for (SSL_SESSION* s : sessions)
        SSL_SESSION_free(s);

    // The RSA server: as many devices (its own database), a configured certificate.
    TempDir rsa_dir("blynk-bench-connect-rsa");
    const auto rsa_tokens =
        tokens_of(provision(rsa_dir.path(), "connect", users, o.devices_per_user));
    const auto cert = rsa_dir.path() / "rsa-cert.pem", key = rsa_dir.path() / "rsa-key.pem";
    write_rsa_pair(cert, key);
    BlynkdProcess rsa(
        o.blynkd, rsa_dir.path(),
        server_settings(o, {{"server.ssl.cert", cert.string()}, {"server.ssl.key", key.string()}}));
    rsa.start();
    {
        CpuMeter cpu(rsa.pid());
        const StormResult s =
            storm(rsa.tls_port(), ctx.get(), rsa_tokens, o, kUnbounded, nullptr, false);
        r.runs.push_back(storm_json("TLS full (RSA server)", tls_name(s), s, o.connect_concurrency,
                                    cpu.cores()));
    }
    rsa.stop();

    for (const auto& run : r.runs)
        if (run["ok"].get<size_t>() == 0) r.ok = false;
    if (!r.ok) r.note = "a storm logged nobody in";
    return r;
}

}  // namespace blynk::bench
