#pragma once
// GET /metrics: the server's counters in the Prometheus text format. Readable from the addresses
// of metrics.allow (loopback by default) or by a signed-in administrator (the console's cookie);
// everyone else gets 403. The counters are the hub's per-thread ones (hub/traffic.hpp); what the
// hub does not know (the storage worker, console sign-ins) comes from the app through
// `ServerFigures`.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "server/http/api.hpp"
#include "server/http/metrics_access.hpp"
#include "server/http/web_sessions.hpp"
#include "server/hub/hub.hpp"

namespace blynk::http {

/// Figures from outside the hub, read when /metrics is asked for.
struct ServerFigures {
    uint64_t storage_pending_pins = 0;    ///< coalesced pin values waiting for a flush
    uint64_t storage_pending_events = 0;  ///< events waiting for a flush
    uint64_t storage_max_pending_pins = 0;
    uint64_t storage_flushes = 0;           ///< successful batches
    uint64_t storage_failed_flushes = 0;    ///< failed batches (kept and retried)
    uint64_t storage_commit_us = 0;         ///< time spent writing and committing batches
    uint64_t storage_rows = 0;              ///< pin rows committed
    uint64_t storage_dropped_events = 0;    ///< events dropped with the pending queue full
    uint64_t storage_dropped_values = 0;    ///< pin values/properties dropped while flushes fail
    uint64_t history_pending_points = 0;    ///< chart history points waiting for a flush
    uint64_t history_points = 0;            ///< chart history points committed
    uint64_t history_dropped_backlog = 0;   ///< refused: history.backlog.max.points
    uint64_t history_dropped_user_cap = 0;  ///< refused: history.user.max.points
    uint64_t console_sessions = 0;
    uint64_t mails_sent = 0;    ///< accepted by the SMTP server
    uint64_t mails_failed = 0;  ///< given up (after the retries)
    uint64_t mail_retries = 0;
    uint64_t http_calls = 0;        ///< webhook calls finished (any outcome)
    uint64_t http_failed = 0;       ///< of which failed: no answer, too large, status >= 400
    uint64_t outbound_refused = 0;  ///< mails and calls refused: a user's limit, queue full
};

struct MetricsRequest {
    std::string_view method;
    std::string_view peer_address;
    std::string_view cookie;  ///< the Cookie header
};

class Metrics {
public:
    Metrics(hub::Hub& hub, WebSessions& sessions, AddressAllowList allow,
            std::function<ServerFigures()> figures);

    static bool handles(std::string_view path) { return path == "/metrics"; }
    /// Answers `request`; `done` runs exactly once, on any thread.
    void handle(const MetricsRequest& request, std::function<void(ApiResponse)> done);

    /// The exposition text, now.
    std::string render() const;

private:
    hub::Hub& hub_;
    WebSessions& sessions_;
    AddressAllowList allow_;
    std::function<ServerFigures()> figures_;
};

}  // namespace blynk::http
