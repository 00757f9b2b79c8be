// profile: the server time of LOAD_PROFILE_GZIPPED (cmd 24, empty body: the whole profile as
// zlib-deflated JSON) for a user with one dashboard of N value widgets (DIGIT4_DISPLAY on V0..)
// whose pins hold values, so the server fills every widget's value in. One logged-in TLS app
// session asks N times, one request after the other, after as many PINGs on the same connection:
// the PING's round trip is the transport's share, the difference the server's work. The first
// answer is inflated and checked (every widget present with its value).

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "common/proto/command.hpp"
#include "common/util/zlib.hpp"
#include "tools/bench/clock.hpp"
#include "tools/bench/messages.hpp"
#include "tools/bench/net.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/tls_client.hpp"

namespace blynk::bench {

namespace {

constexpr int kTimeoutMs = 5000;
constexpr size_t kMaxProfile = 64 << 20;

std::string widgets_json(size_t n) {
    nlohmann::json widgets = nlohmann::json::array();
    for (size_t i = 0; i < n; ++i) {
        widgets.push_back({{"type", "DIGIT4_DISPLAY"},
                           {"id", i},
                           {"x", 0},
                           {"y", i},
                           {"width", 2},
                           {"height", 1},
                           {"deviceId", 0},
                           {"pinType", "VIRTUAL"},
                           {"pin", i}});
    }
    return widgets.dump();
}

std::string pin_value(size_t pin) {
    return "value of V" + std::to_string(pin);
}

struct Reply {
    uint8_t command = 0;
    uint32_t status = 0;  ///< RESPONSE only
    std::string body;
};

// Sends one app frame with an empty body and reads the next frame; throws on a timeout or close.
Reply request(const HeldConn& c, uint8_t command, uint16_t id) {
    std::string bytes;
    proto::encode(bytes, proto::Layout::App, command, id, {});
    constexpr size_t kHeader = proto::header_size(proto::Layout::App);
    if (!send_all(c.fd, bytes, kTimeoutMs, c.ssl)) throw std::runtime_error("cannot send");
    bytes.clear();
    if (!recv_exact(c.fd, kHeader, bytes, kTimeoutMs, c.ssl))
        throw std::runtime_error("no answer to command " + std::to_string(command));
    const auto* h = reinterpret_cast<const uint8_t*>(bytes.data());
    const size_t length =
        h[0] == proto::cmd::kResponse
            ? 0
            : (size_t{h[3]} << 24) | (size_t{h[4]} << 16) | (size_t{h[5]} << 8) | size_t{h[6]};
    if (length > kMaxProfile || !recv_exact(c.fd, length, bytes, kTimeoutMs, c.ssl))
        throw std::runtime_error("a truncated answer to command " + std::to_string(command));
    const auto d =
        proto::decode(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
                      proto::DecodeLimits{proto::Layout::App, kMaxProfile});
    if (d.kind != proto::DecodeResult::Kind::Frame)
        throw std::runtime_error("an undecodable answer");
    return Reply{d.frame.command, d.frame.status, std::string(d.frame.body)};
}

// Empty when the inflated profile has dashboard 1 with all `n` widgets and their values.
std::string check_profile(std::string_view zlib, size_t n, size_t& json_bytes) {
    const auto text = util::zlib_decompress(zlib, kMaxProfile);
    if (!text) return "the LOAD_PROFILE_GZIPPED body is not zlib";
    json_bytes = text->size();
    const auto profile = nlohmann::json::parse(*text, nullptr, false);
    if (!profile.is_object() || !profile.contains("dashBoards") || profile["dashBoards"].empty())
        return "the profile has no dashboard";
    const auto& widgets = profile["dashBoards"][0]["widgets"];
    if (!widgets.is_array() || widgets.size() != n)
        return "the profile's dashboard has " + std::to_string(widgets.size()) + " widgets, not " +
               std::to_string(n);
    for (const auto& w : widgets) {
        const size_t pin = w.value("pin", size_t{0});
        if (w.value("value", std::string()) != pin_value(pin))
            return "widget " + w.value("id", std::string("?")) + " lacks its pin's value";
    }
    return {};
}

// `count` requests of `command` one after the other: the latency of each, and the server's CPU.
Json timed_requests(const HeldConn& c, pid_t server, const std::string& name, uint8_t command,
                    size_t count, Reply& last) {
    Histogram h;
    CpuMeter cpu(server);
    const uint64_t start = now_ns();
    for (size_t i = 0; i < count; ++i) {
        const uint64_t t0 = now_ns();
        last = request(c, command, message_id(i));
        h.record(now_ns() - t0);
        const uint8_t expected = command == proto::cmd::kPing ? proto::cmd::kResponse : command;
        if (last.command != expected || (expected == proto::cmd::kResponse && last.status != 200))
            throw std::runtime_error(name + " was answered with command " +
                                     std::to_string(last.command) + ", status " +
                                     std::to_string(last.status));
    }
    const double wall_s = static_cast<double>(now_ns() - start) / 1e9;
    const Json cores = cpu.cores();
    Json j;
    j["run"] = name;
    j["requests"] = count;
    j["latency_us"] = h.summary_us();
    // The server's CPU time per request (its cores over the loop, times the loop's length).
    j["server_us_per_request"] =
        round_sig(cores["server"].get<double>() * wall_s / static_cast<double>(count) * 1e6, 3);
    j["cores"] = cores;
    return j;
}

}  // namespace

ScenarioResult run_profile(const Options& o) {
    ScenarioResult r;
    r.scenario = "profile";
    TempDir dir("blynk-bench-profile");
    AppProvision app;
    app.app_login = true;
    app.active = true;
    app.widgets = widgets_json(o.profile_widgets);
    for (size_t pin = 0; pin < o.profile_widgets; ++pin)
        app.pin_values.emplace_back("v" + std::to_string(pin), pin_value(pin));
    const auto devices = provision(dir.path(), "profile", 1, 1, app);
    BlynkdProcess server(o.blynkd, dir.path(), server_settings(o, {}));
    server.start();
    SslCtxPtr ctx = make_client_context(false);
    std::vector<HeldConn> held = login_apps(server.tls_port(), ctx.get(), emails_of(devices));
    r.setup = machine_setup();
    r.setup["server_threads"] = server.worker_threads();
    r.setup["transport"] = "one app session, TLS";
    r.setup["widgets"] = o.profile_widgets;
    r.setup["measured"] = "PINGs, then LOAD_PROFILE_GZIPPED (empty body), one at a time";
    try {
        Reply last;
        r.runs.push_back(timed_requests(held[0], server.pid(), "PING", proto::cmd::kPing,
                                        o.profile_requests, last));
        r.runs.push_back(timed_requests(held[0], server.pid(), "LOAD_PROFILE_GZIPPED",
                                        proto::cmd::kLoadProfileGzipped, o.profile_requests, last));
        size_t json_bytes = 0;
        r.note = check_profile(last.body, o.profile_widgets, json_bytes);
        r.ok = r.note.empty();
        r.runs.back()["zlib_bytes"] = last.body.size();
        r.runs.back()["json_bytes"] = json_bytes;
    } catch (...) {
        close_held(held);
        throw;
    }
    close_held(held);
    const Json& ping = r.runs[0]["latency_us"];
    const Json& profile = r.runs[1]["latency_us"];
    Json diff;
    diff["run"] = "server time (profile - PING)";
    diff["requests"] = o.profile_requests;
    Json lat;
    for (const char* q : {"p50", "p90", "p99"})
        lat[q] = round_sig(profile[q].get<double>() - ping[q].get<double>(), 3);
    diff["latency_us"] = lat;
    diff["server_us_per_request"] = round_sig(r.runs[1]["server_us_per_request"].get<double>() -
                                                  r.runs[0]["server_us_per_request"].get<double>(),
                                              3);
    r.runs.push_back(diff);
    r.setup["server_stop"] = stop_json(server.stop());
    return r;
}

}  // namespace blynk::bench
