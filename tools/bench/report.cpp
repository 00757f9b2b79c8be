#include "tools/bench/report.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <set>
#include <sstream>

#include "tools/bench/sysinfo.hpp"

namespace blynk::bench {

namespace {

using Flat = std::vector<std::pair<std::string, std::string>>;

std::string cell(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "-";
    if (v.is_number_float()) {
        std::ostringstream ss;
        ss << round_sig(v.get<double>(), 4);
        return ss.str();
    }
    return v.dump();
}

void flatten(const Json& j, const std::string& prefix, Flat& out) {
    for (const auto& [k, v] : j.items()) {
        const std::string key = prefix.empty() ? k : prefix + "." + k;
        if (v.is_object()) {
            flatten(v, key, out);
        } else {
            out.emplace_back(key, cell(v));
        }
    }
}

// Column names in order of first appearance, and each row's cells by column.
struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};

Table tabulate(const std::vector<Json>& runs) {
    Table t;
    std::vector<Flat> flats;
    for (const auto& r : runs) {
        Flat f;
        flatten(r, "", f);
        for (const auto& [k, v] : f)
            if (std::find(t.columns.begin(), t.columns.end(), k) == t.columns.end())
                t.columns.push_back(k);
        flats.push_back(std::move(f));
    }
    for (const auto& f : flats) {
        std::vector<std::string> row(t.columns.size(), "");
        for (const auto& [k, v] : f) {
            auto it = std::find(t.columns.begin(), t.columns.end(), k);
            row[static_cast<size_t>(it - t.columns.begin())] = v;
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

}  // namespace

double round_sig(double v, int digits) {
    if (v == 0 || !std::isfinite(v)) return v;
    const double mag =
        std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(v)))));
    return std::round(v * mag) / mag;
}

Json ScenarioResult::to_json() const {
    Json j;
    j["scenario"] = scenario;
    j["ok"] = ok;
    if (!note.empty()) j["note"] = note;
    j["setup"] = setup;
    j["runs"] = runs;
    return j;
}

const Json* ScenarioResult::run(const std::string& name) const {
    for (const auto& r : runs)
        if (r.value("run", "") == name) return &r;
    return nullptr;
}

Json machine_setup() {
    static const Json cached = [] {
        Json j;
        j["build_type"] = build_type();
        j["git_revision"] = git_revision();
        j["cpu"] = cpu_model();
        j["cores"] = cpu_count();
        const std::time_t t = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&t, &tm);
        std::ostringstream ss;
        ss << std::put_time(&tm, "%Y-%m-%d %H:%M UTC");
        j["date"] = ss.str();
        return j;
    }();
    return cached;
}

namespace {

void print_table(std::ostream& out, const Table& t) {
    std::vector<size_t> width(t.columns.size());
    for (size_t c = 0; c < t.columns.size(); ++c) {
        width[c] = t.columns[c].size();
        for (const auto& row : t.rows)
            width[c] = std::max(width[c], row[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
        out << "  ";
        for (size_t c = 0; c < cells.size(); ++c)
            out << " " << std::setw(static_cast<int>(width[c])) << cells[c];
        out << "\n";
    };
    line(t.columns);
    for (const auto& row : t.rows)
        line(row);
}

}  // namespace

void print_human(std::ostream& out, const ScenarioResult& r) {
    out << "== " << r.scenario << (r.ok ? "" : "  [FAILED]") << "\n";
    Flat setup;
    flatten(r.setup, "", setup);
    out << "   set-up:";
    for (const auto& [k, v] : setup)
        out << " " << k << "=" << v;
    out << "\n";
    if (!r.note.empty()) out << "   note: " << r.note << "\n";
    // Runs that share no column with the ones before them (the soak's load, goals and series)
    // start a table of their own instead of widening one table with empty cells.
    std::vector<Json> group;
    std::set<std::string> keys;
    auto print_group = [&] {
        if (!group.empty()) print_table(out, tabulate(group));
        group.clear();
        keys.clear();
    };
    for (const auto& run : r.runs) {
        bool shared = false;
        for (const auto& [k, v] : run.items())
            shared = shared || (k != "run" && keys.count(k));
        if (!shared) print_group();
        for (const auto& [k, v] : run.items())
            keys.insert(k);
        group.push_back(run);
    }
    print_group();
    out.flush();
}

void print_json_line(std::ostream& out, const ScenarioResult& r) {
    out << r.to_json().dump() << "\n";
    out.flush();
}

std::string markdown_table(const std::vector<Json>& rows) {
    if (rows.empty()) return "";
    const Table t = tabulate(rows);
    std::ostringstream ss;
    ss << "|";
    for (const auto& c : t.columns)
        ss << " " << c << " |";
    ss << "\n|";
    for (size_t c = 0; c < t.columns.size(); ++c)
        ss << (c == 0 ? "---|" : "---:|");
    ss << "\n";
    for (const auto& row : t.rows) {
        ss << "|";
        for (const auto& v : row)
            ss << " " << v << " |";
        ss << "\n";
    }
    return ss.str();
}

}  // namespace blynk::bench
