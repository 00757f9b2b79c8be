// rest: HTTP/1.1 keep-alive clients calling GET /<token>/update/V1?value=<stamp>, each for its
// own logged-in device (one user per device); requests/s (200 answers) and the latency of both
// the HTTP answer and the delivery of HARDWARE id 111 to the device.

#include <stdexcept>

#include "tools/bench/net.hpp"
#include "tools/bench/scenario_common.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/workloads.hpp"

namespace blynk::bench {

namespace {

Json rest_run_json(const std::string& name, size_t connections, const LoadConfig& c,
                   const LoadStats& s, const Json& cores) {
    Json j = load_run_json(name, connections, c, s, cores);
    j.erase("msgs_per_s");
    j.erase("latency_us");
    j["requests_per_s"] = round_sig(s.seconds > 0 ? static_cast<double>(s.acks) / s.seconds : 0, 4);
    j["delivered_per_s"] =
        round_sig(s.seconds > 0 ? static_cast<double>(s.deliveries) / s.seconds : 0, 4);
    j["answer_us"] = s.ack.summary_us();
    j["delivery_us"] = s.delivery.summary_us();
    return j;
}

}  // namespace

ScenarioResult run_rest(const Options& o) {
    ScenarioResult r;
    r.scenario = "rest";
    TempDir dir("blynk-bench-rest");
    const auto devices = provision(dir.path(), "rest", o.rest_conns, 1);
    BlynkdProcess server(o.blynkd, dir.path(), server_settings(o, {}));
    server.start();
    const auto tokens = tokens_of(devices);
    std::vector<int> device_fds = login_plain(server.port(), tokens, 64);
    std::vector<int> http_fds;
    std::vector<StreamFds> streams;
    for (size_t i = 0; i < tokens.size(); ++i) {
        const int fd = connect_loopback_blocking(server.port(), 5000);
        if (fd < 0) {
            close_fds(device_fds);
            close_fds(http_fds);
            throw std::runtime_error("cannot open an HTTP connection");
        }
        http_fds.push_back(fd);
        streams.push_back(StreamFds{Endpoint{fd, nullptr, Wire::Http}, {Endpoint{device_fds[i]}}});
    }

    r.setup = load_setup(o);
    r.setup["server_threads"] = server.worker_threads();
    r.setup["http_connections"] = http_fds.size();
    r.setup["devices"] = device_fds.size();

    RestWorkload workload(tokens);
    // One request at a time per keep-alive connection; half the peak of delivered writes.
    r.runs = depth_runs(o, {1}, streams, workload, streams.size(), server.pid(), rest_run_json);
    close_fds(http_fds);
    close_fds(device_fds);
    r.setup["server_stop"] = stop_json(server.stop());
    require_delivery(r, "delivered_per_s");
    return r;
}

}  // namespace blynk::bench
