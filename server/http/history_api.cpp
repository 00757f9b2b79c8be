#include "server/http/history_api.hpp"

#include <spdlog/spdlog.h>

#include "common/util/clock.hpp"
#include "common/util/zlib.hpp"
#include "server/http/history_query.hpp"
#include "server/hub/operations.hpp"
#include "server/hub/user_state.hpp"
#include "server/model/graph_period.hpp"
#include "server/model/history_csv.hpp"

namespace blynk::http {
namespace {

ApiResponse csv_download(const hub::UserState& user, hub::DeviceRef device, model::PinKey pin,
                         std::span<const model::HistoryPoint> points) {
    if (points.empty()) return text_error(400, "No data.");
    ApiResponse r(200, "application/x-gzip",
                  util::gzip_compress(model::history_csv(points, device.device_id)));
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" +
                               model::history_csv_file_name(user.email(), device.dash_id,
                                                            device.device_id, pin, util::now_ms()) +
                               "\"");
    return r;
}

}  // namespace

void HistoryApi::handle(const ApiCall& call, hub::TokenTarget owner, model::PinKey pin,
                        std::function<void(ApiResponse)> done) {
    model::HistoryQuery query;
    const bool csv = call.route.endpoint == Endpoint::PinData;
    if (csv) {
        // The Java export: the newest minute averages, at most 30 days of them.
        query.from_ms = model::kAllTimeFromMs;
        query.to_ms = model::kAllTimeToMs;
        query.resolution = model::HistoryResolution::Minute;
        query.limit = model::kCsvMaxPoints;
        query.newest_first = true;
    } else {
        auto parsed = parse_history_query(call.target, util::now_ms());
        if (auto* answer = std::get_if<ApiResponse>(&parsed)) return done(std::move(*answer));
        query = std::get<model::HistoryQuery>(parsed);
    }
    auto user = owner.user;
    boost::asio::post(user->executor(), [this, user, device = owner.device, pin, query, csv,
                                         done = std::move(done)]() mutable {
        if (!user->find(device)) return done(text_error(400, "Invalid token."));
        hub_.persistence().history(
            user->email(), device, pin, query,
            hub::ops::answer_on<std::optional<std::vector<model::HistoryPoint>>, std::string>(
                user,
                [user, device, pin, query, csv, done = std::move(done)](
                    std::optional<std::vector<model::HistoryPoint>> points, std::string error) {
                    if (!points) {
                        spdlog::warn("history of {} {} for {} could not be read: {}", device.str(),
                                     pin.str(), user->email(), error);
                        return done(text_error(500, "Error getting pin data."));
                    }
                    if (csv) return done(csv_download(*user, device, pin, *points));
                    done(json_ok(history_json(pin.str(), query, *points)));
                }));
    });
}

}  // namespace blynk::http
