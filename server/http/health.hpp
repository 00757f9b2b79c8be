#pragma once
// Health checks for load balancers, Docker's HEALTHCHECK and orchestrators, open to everyone
// (they say nothing secret), with a short JSON body:
//
//   GET /health/live   200 {"status":"ok"}: the event loop answered this request
//   GET /health/ready  200 {"status":"ok","storage":"writable"} when the storage thread takes
//                      the database's write lock within the timeout; 503 {"status":"unavailable",
//                      "storage":"<why>"} otherwise
//   GET /health        as /health/ready

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "server/http/api.hpp"

namespace blynk::http {

class Health {
public:
    /// Calls its argument once with "" when the database is writable, or with the reason it
    /// is not; may answer on any thread, late or never (the timeout covers that).
    using StorageCheck = std::function<void(std::function<void(std::string error)>)>;

    Health(boost::asio::io_context& io, StorageCheck check, std::chrono::milliseconds timeout);

    static bool handles(std::string_view path) {
        return path == "/health" || path == "/health/live" || path == "/health/ready";
    }
    /// Answers `path`; `done` runs exactly once, on any thread.
    void handle(std::string_view method, std::string_view path,
                std::function<void(ApiResponse)> done);

private:
    void ready(std::function<void(ApiResponse)> done);

    boost::asio::io_context& io_;
    StorageCheck check_;
    std::chrono::milliseconds timeout_;
};

}  // namespace blynk::http
