// SuperChart history for the app (server-surface.md §5.2): GET_ENHANCED_GRAPH_DATA answered in
// the Java server's deflated binary layout, DELETE_ENHANCED_GRAPH_DATA and DELETE_DEVICE_DATA.
// The storage answers on its thread; everything here runs on the user's strand.

#include <charconv>
#include <chrono>
#include <memory>

#include <spdlog/spdlog.h>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/graph_data.hpp"
#include "common/proto/status.hpp"
#include "common/util/zlib.hpp"
#include "server/hub/app_handlers.hpp"
#include "server/hub/operations.hpp"
#include "server/hub/user_state.hpp"
#include "server/model/graph_period.hpp"
#include "server/model/json_text.hpp"
#include "server/model/superchart.hpp"

namespace blynk::hub::app {
namespace {

namespace status = proto::status;

/// "dashId" or "dashId-targetId": the dashboard and the target that overrides every stream's
/// own (Device Tiles, device selectors); nullopt when malformed.
struct ChartTarget {
    int dash_id = 0;
    std::optional<int> target_id;
};
std::optional<ChartTarget> parse_chart_target(std::string_view text) {
    const size_t dash = text.find('-');
    auto dash_id = parse_id(text.substr(0, dash));
    if (!dash_id) return std::nullopt;
    if (dash == std::string_view::npos) return ChartTarget{*dash_id, std::nullopt};
    auto target = parse_id(text.substr(dash + 1));
    if (!target) return std::nullopt;
    return ChartTarget{*dash_id, target};
}

std::optional<int64_t> parse_widget_id(std::string_view text) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

/// The SuperChart `widget_id` of a dashboard `conn` sees; null when there is none.
const model::Widget* find_chart(AppConnection& conn, int dash_id, int64_t widget_id) {
    const model::Dashboard* dash = conn.dashboard(dash_id);
    if (!dash) return nullptr;
    for (const model::Widget& w : dash->widgets)
        if (w.id == widget_id) return w.type == model::kSuperchartType ? &w : nullptr;
    return nullptr;
}

/// The answers of several storage calls, collected on the user's strand; `finish` runs once
/// the last one is in.
template <class Result>
struct Gather {
    std::vector<Result> results;
    size_t waiting = 0;
    std::string error;
    std::function<void(Gather&)> finish;

    void arrived() {
        if (--waiting == 0) finish(*this);
    }
};

/// Each stream's points at its function, oldest first, as the binary answer carries them.
std::vector<proto::GraphSample> samples_of(std::span<const model::HistoryPoint> points,
                                           model::GraphFunction function) {
    std::vector<proto::GraphSample> out;
    out.reserve(points.size());
    for (const model::HistoryPoint& p : points)
        out.push_back({model::graph_value(p, function), p.time_ms});
    return out;
}

/// The stream's device under the request's target; nullopt when it has no pin or no device.
std::optional<DeviceRef> stream_device(UserState& user, const ChartTarget& target,
                                       const model::ChartStream& stream) {
    if (!stream.pin) return std::nullopt;
    const DeviceRef ref{target.dash_id, target.target_id.value_or(stream.target_id)};
    return user.find(ref) ? std::optional(ref) : std::nullopt;
}

/// Deletes the history of each (device, pin); answers 200 once all are done, ILLEGAL_COMMAND
/// (the Java server's answer) when one failed.
void delete_histories(AppConnection& conn, uint16_t id,
                      std::vector<std::pair<DeviceRef, std::optional<model::PinKey>>> targets) {
    if (targets.empty()) return conn.link.send_response(id, status::kOk);
    UserState& user = *conn.user;
    auto gather = std::make_shared<Gather<int>>();
    gather->waiting = targets.size();
    gather->finish = [&conn, alive = conn.link.keep_alive(), id](auto& g) {
        if (!g.error.empty()) {
            spdlog::warn("deleting history of {} failed: {}", conn.user->email(), g.error);
            return conn.link.send_response(id, status::kIllegalCommand);
        }
        conn.link.send_response(id, status::kOk);
    };
    for (const auto& [ref, pin] : targets) {
        spdlog::info("history of {} {} deleted by {} ({})", ref.str(), pin ? pin->str() : "(all)",
                     user.email(), conn.link.repr());
        user.persistence().delete_history(
            user.email(), ref, pin,
            ops::answer_on<std::string>(conn.user, [gather](std::string error) {
                if (!error.empty()) gather->error = error;
                gather->arrived();
            }));
    }
}

/// Whether a guest of a shared dashboard may delete its data: the Report widget says so
/// (allowEndUserToDeleteDataOn). 0 when allowed, else the Java server's answer.
uint16_t shared_delete_refusal(const model::Dashboard& dash) {
    for (const model::Widget& w : dash.widgets) {
        if (w.type != "REPORT") continue;
        auto json = model::parse_json_text(w.json);
        const bool allowed =
            json && json->is_object() && json->value("allowEndUserToDeleteDataOn", false) == true;
        return allowed ? 0 : status::kNotAllowed;
    }
    return status::kIllegalCommand;
}

}  // namespace

void get_graph_data(AppConnection& conn, const proto::FrameView& frame) {
    const auto started = std::chrono::steady_clock::now();
    const auto f = proto::split_all(frame.body);
    auto target = f.size() >= 3 ? parse_chart_target(f[0]) : std::nullopt;
    auto widget_id = f.size() >= 3 ? parse_widget_id(f[1]) : std::nullopt;
    auto period = f.size() >= 3 ? model::find_graph_period(f[2]) : std::nullopt;
    std::optional<int> page = f.size() >= 4 ? parse_id(f[3]) : std::optional(0);
    const model::Widget* chart =
        target && widget_id ? find_chart(conn, target->dash_id, *widget_id) : nullptr;
    if (!chart || !period || !page) {
        spdlog::debug(
            "GET_ENHANCED_GRAPH_DATA refused: malformed body, unknown period or not a "
            "SuperChart ({})",
            conn.link.repr());
        return conn.link.send_response(frame.id, status::kIllegalCommand);
    }
    const std::vector<model::ChartStream> streams = model::chart_streams(*chart);
    UserState& user = *conn.user;

    auto gather = std::make_shared<Gather<std::vector<model::HistoryPoint>>>();
    gather->results.resize(streams.size());
    std::vector<std::pair<size_t, DeviceRef>> reads;
    for (size_t i = 0; i < streams.size(); ++i)
        if (auto ref = stream_device(user, *target, streams[i])) reads.emplace_back(i, *ref);
    if (reads.empty()) return conn.link.send_response(frame.id, status::kNoData);

    gather->waiting = reads.size();
    gather->finish = [&conn, alive = conn.link.keep_alive(), id = frame.id,
                      dash_id = target->dash_id, streams, period = *period, page = *page,
                      started](auto& g) {
        if (!g.error.empty()) {
            spdlog::warn("GET_ENHANCED_GRAPH_DATA for {} failed: {}", conn.user->email(), g.error);
            return conn.link.send_response(id, status::kServerError);
        }
        std::string body = proto::begin_graph_data(dash_id);
        size_t total = 0;
        for (size_t i = 0; i < streams.size(); ++i) {
            auto points = model::graph_page(period, page, g.results[i]);
            total += points.size();
            proto::append_graph_stream(body, samples_of(points, streams[i].function));
        }
        if (total == 0) return conn.link.send_response(id, status::kNoData);
        conn.link.send(proto::cmd::kGetEnhancedGraphData, id,
                       util::zlib_compress(body, util::Compression::Fast));
        spdlog::debug("GET_ENHANCED_GRAPH_DATA {} page {}: {} points in {} us ({})", period.name,
                      page, total,
                      std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count(),
                      conn.link.repr());
    };
    const model::HistoryQuery query = model::graph_query(*period, *page);
    for (const auto& [index, ref] : reads) {
        user.persistence().history(
            user.email(), ref, *streams[index].pin, query,
            ops::answer_on<std::optional<std::vector<model::HistoryPoint>>, std::string>(
                conn.user, [gather, index](std::optional<std::vector<model::HistoryPoint>> points,
                                           std::string error) {
                    if (points) gather->results[index] = std::move(*points);
                    if (!error.empty()) gather->error = std::move(error);
                    gather->arrived();
                }));
    }
}

void delete_graph_data(AppConnection& conn, const proto::FrameView& frame) {
    const auto f = proto::split_all(frame.body);
    auto target = f.size() >= 2 ? parse_chart_target(f[0]) : std::nullopt;
    auto widget_id = f.size() >= 2 ? parse_widget_id(f[1]) : std::nullopt;
    const model::Widget* chart =
        target && widget_id ? find_chart(conn, target->dash_id, *widget_id) : nullptr;
    if (!chart) return conn.link.send_response(frame.id, status::kIllegalCommand);
    const std::vector<model::ChartStream> streams = model::chart_streams(*chart);
    // A valid stream index deletes that stream's history; none (or out of range) all of them.
    std::optional<int> only = f.size() >= 3 ? parse_id(f[2]) : std::nullopt;
    if (only && static_cast<size_t>(*only) >= streams.size()) only.reset();

    std::vector<std::pair<DeviceRef, std::optional<model::PinKey>>> targets;
    for (size_t i = 0; i < streams.size(); ++i) {
        if (only && static_cast<size_t>(*only) != i) continue;
        if (auto ref = stream_device(*conn.user, *target, streams[i]))
            targets.emplace_back(*ref, streams[i].pin);
    }
    delete_histories(conn, frame.id, std::move(targets));
}

void delete_device_data(AppConnection& conn, const proto::FrameView& frame) {
    // "dashId-deviceId[\0pin...]", deviceId "*" for every device of the dashboard.
    const auto f = proto::split_all(frame.body);
    const std::string_view head = f.empty() ? std::string_view() : f[0];
    const size_t dash = head.find('-');
    auto dash_id = dash == std::string_view::npos ? std::nullopt : parse_id(head.substr(0, dash));
    const model::Dashboard* board = dash_id ? conn.dashboard(*dash_id) : nullptr;
    if (!board) return conn.link.send_response(frame.id, status::kIllegalCommand);
    if (conn.shared_dash) {
        // A guest deletes only what the dashboard's Report widget allows end users to.
        const uint16_t refusal = shared_delete_refusal(*board);
        if (refusal) return conn.link.send_response(frame.id, refusal);
    }
    const std::string_view device = head.substr(dash + 1);
    std::vector<std::pair<DeviceRef, std::optional<model::PinKey>>> targets;
    if (device == "*") {
        for (const auto& [ref, entry] : conn.user->devices())
            if (ref.dash_id == *dash_id) targets.emplace_back(ref, std::nullopt);
        return delete_histories(conn, frame.id, std::move(targets));
    }
    auto device_id = parse_id(device);
    if (!device_id || !conn.user->find(DeviceRef{*dash_id, *device_id}))
        return conn.link.send_response(frame.id, status::kIllegalCommand);
    const DeviceRef ref{*dash_id, *device_id};
    if (f.size() == 1) return delete_histories(conn, frame.id, {{ref, std::nullopt}});
    for (size_t i = 1; i < f.size(); ++i) {
        auto pin = model::parse_pin_key(f[i]);
        if (!pin) return conn.link.send_response(frame.id, status::kIllegalCommand);
        targets.emplace_back(ref, *pin);
    }
    delete_histories(conn, frame.id, std::move(targets));
}

}  // namespace blynk::hub::app
