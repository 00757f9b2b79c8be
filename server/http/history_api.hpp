#pragma once
// A pin's stored history over REST (server-surface.md §6.2):
//
//   GET /{token}/data/{pin}     the Java server's CSV export: gzip of "value,epochMs,deviceId"
//                               lines of the newest 30 days of minute averages, as a download
//                               (application/x-gzip, Content-Disposition with Java's file name);
//                               400 "No data." when nothing is stored.
//   GET /{token}/history/{pin}?from=&to=&resolution=&limit=
//                               JSON for the web console's charts (documented in
//                               docs/openapi.json): points of [from, to) at raw, minute, hour or
//                               day resolution ("auto" picks by span), newest `limit` when more.
//
// The parameters and the JSON are history_query.hpp's; HistoryApi reads through
// hub::Persistence.

#include <functional>

#include "server/http/api_request.hpp"
#include "server/hub/hub.hpp"
#include "server/model/pin.hpp"

namespace blynk::http {

class HistoryApi {
public:
    explicit HistoryApi(hub::Hub& hub) : hub_(hub) {}

    /// Answers a call to Endpoint::PinData or Endpoint::PinHistory for a device of `owner`.
    void handle(const ApiCall& call, hub::TokenTarget owner, model::PinKey pin,
                std::function<void(ApiResponse)> done);

private:
    hub::Hub& hub_;
};

}  // namespace blynk::http
