// blynk-bench: load generator and benchmark suite for blynkd. See tools/bench/README.md.

#include <signal.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "tools/bench/net.hpp"
#include "tools/bench/options.hpp"
#include "tools/bench/scenarios.hpp"
#include "tools/bench/suite.hpp"

using namespace blynk::bench;

int main(int argc, char** argv) {
    Options o;
    try {
        o = parse_options(argc, argv);
    } catch (const std::exception& e) {
        if (!*e.what()) {  // --help
            std::cout << usage();
            return 0;
        }
        std::cerr << "blynk-bench: " << e.what() << "\n\n" << usage();
        return 2;
    }
    ::signal(SIGPIPE, SIG_IGN);
    // blynk_core's store logs every provisioning step; the bench's own output is the report.
    spdlog::set_level(spdlog::level::warn);
    const uint64_t files = raise_nofile_limit();
    if (files < o.idle_conns + 256)
        std::cerr << "blynk-bench: note: open-file limit " << files << " is below what "
                  << o.idle_conns << " idle connections need\n";

    std::vector<std::string> names;
    for (const auto& s : o.scenarios) {
        if (s == "suite" || s == "smoke") {
            names.insert(names.end(), Options::all_scenarios().begin(),
                         Options::all_scenarios().end());
        } else {
            names.push_back(s);
        }
    }
    Json before = Json::object();
    if (o.quiet_wait_s > 0 || !o.out_dir.empty()) {
        before = wait_for_quiet(o.quiet_wait_s);
        std::cout << "machine busy with " << before["busy_cores"]
                  << " cores of other work, hypervisor steal " << before["steal_share"]
                  << " of a spin, after " << before["waited_s"] << " s of waiting for quiet\n";
    }
    std::vector<ScenarioResult> results;
    bool ok = true;
    for (const auto& name : names) {
        // A neighbour that starts compiling mid-suite would skew the next scenario: wait a
        // little for it too (each run's cores.other shows what remained).
        if (o.quiet_wait_s > 0 && &name != &names.front()) wait_for_quiet(o.quiet_wait_s / 6);
        ScenarioResult r = run_scenario(name, o);
        print_human(std::cout, r);
        print_json_line(std::cout, r);
        ok = ok && r.ok;
        results.push_back(std::move(r));
    }
    if (names.size() > 1) {
        std::cout << "== targets\n";
        ScenarioResult t;
        t.scenario = "targets";
        t.runs = evaluate_targets(results);
        std::cout << markdown_table(t.runs);
    }
    if (!o.out_dir.empty()) {
        write_results(o.out_dir, results, before);
        std::cout << "wrote " << o.out_dir << "/results.md and results.json\n";
    }
    return ok ? 0 : 1;
}
