#pragma once
// REST GET /{token}/events?limit=N: the device's event log (hardware logEvent), newest first,
// read from storage (events of the last flush interval may not be there yet).

#include <functional>

#include "server/http/api_request.hpp"
#include "server/hub/hub.hpp"

namespace blynk::http {

/// Events returned when the request names no limit, and the most it may ask for.
inline constexpr size_t kDefaultEventLimit = 100;
inline constexpr size_t kMaxEventLimit = 1000;

/// Answers the events request `call` for the device `owner`; `done` runs once, on any thread.
void list_events(hub::Persistence& persistence, const hub::TokenTarget& owner, const ApiCall& call,
                 std::function<void(ApiResponse)> done);

}  // namespace blynk::http
