#pragma once
// Results: every scenario yields one ScenarioResult, printed as a human table and as one JSON
// line, and collected by the suite into bench/results.md and bench/results.json.

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace blynk::bench {

using Json = nlohmann::ordered_json;

struct ScenarioResult {
    std::string scenario;
    bool ok = true;    ///< false only when the tool could not do its job (never on numbers)
    std::string note;  ///< why it failed or was skipped, or a remark
    Json setup = Json::object();  ///< what was run: connections, depth, duration, threads, build
    std::vector<Json> runs;       ///< one flat-ish object per measured run, "run" names it

    Json to_json() const;
    /// The run named `name`, or nullptr.
    const Json* run(const std::string& name) const;
};

/// Build type, git revision, CPU, cores, date: recorded with every scenario.
Json machine_setup();

/// Set-up line and a text table of the runs.
void print_human(std::ostream& out, const ScenarioResult& r);
/// One line of JSON.
void print_json_line(std::ostream& out, const ScenarioResult& r);
/// The runs as a Markdown table (nested objects flattened as "a.b").
std::string markdown_table(const std::vector<Json>& rows);

/// Rounds to `digits` significant digits for display (3.14159 → 3.14).
double round_sig(double v, int digits = 3);

}  // namespace blynk::bench
