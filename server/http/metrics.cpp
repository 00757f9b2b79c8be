#include "server/http/metrics.hpp"

#include <chrono>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "common/proto/command.hpp"
#include "server/http/console_answers.hpp"
#include "server/http/metrics_process.hpp"
#include "server/http/metrics_text.hpp"
#include "server/hub/traffic.hpp"
#include "server/hub/user_state.hpp"

namespace blynk::http {
namespace {

using hub::Traffic;
using hub::Transport;

constexpr std::array kKinds{Traffic::Hardware, Traffic::App, Traffic::Http};
constexpr std::array kFrameKinds{Traffic::Hardware, Traffic::App};

ApiResponse metrics_answer(std::string text) {
    ApiResponse r(200, std::string(kMetricsContentType), std::move(text));
    r.any_origin = false;
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

/// A counter family with one sample per (kind, command) that has been counted at least once.
void by_command(
    MetricsText& m, std::string_view name, std::string_view help,
    const std::array<hub::TrafficSnapshot::Values<hub::kCommands>, hub::kFrameKinds>& counts) {
    m.family(name, "counter", help);
    for (Traffic kind : kFrameKinds) {
        const auto& per_command = counts[static_cast<size_t>(kind)];
        for (size_t c = 0; c < hub::kCommands; ++c) {
            if (per_command[c] == 0) continue;
            const std::string command(proto::command_name(static_cast<uint8_t>(c)));
            m.sample(name, {{"kind", hub::traffic_name(kind)}, {"command", command}},
                     per_command[c]);
        }
    }
}

/// A counter family with one sample per frame kind.
void by_kind(MetricsText& m, std::string_view name, std::string_view help,
             const hub::TrafficSnapshot::Values<hub::kFrameKinds>& counts) {
    m.family(name, "counter", help);
    for (Traffic kind : kFrameKinds)
        m.sample(name, {{"kind", hub::traffic_name(kind)}}, counts[static_cast<size_t>(kind)]);
}

/// One sample per kind and transport (HTTP is never ws or wss; only hardware is serial).
void by_kind_and_transport(
    MetricsText& m, std::string_view name,
    const std::array<hub::TrafficSnapshot::Values<hub::kTransports>, hub::kTrafficKinds>& counts) {
    for (Traffic kind : kKinds) {
        for (size_t tr = 0; tr < hub::kTransports; ++tr) {
            const auto transport = static_cast<Transport>(tr);
            if ((kind == Traffic::Http &&
                 (transport == Transport::Ws || transport == Transport::Wss)) ||
                (kind != Traffic::Hardware && transport == Transport::Serial))
                continue;
            m.sample(
                name,
                {{"kind", hub::traffic_name(kind)}, {"transport", hub::transport_name(transport)}},
                counts[static_cast<size_t>(kind)][tr]);
        }
    }
}

}  // namespace

Metrics::Metrics(hub::Hub& hub, WebSessions& sessions, AddressAllowList allow,
                 std::function<ServerFigures()> figures)
    : hub_(hub), sessions_(sessions), allow_(std::move(allow)), figures_(std::move(figures)) {}

void Metrics::handle(const MetricsRequest& request, std::function<void(ApiResponse)> done) {
    if (request.method != "GET" && request.method != "HEAD") {
        ApiResponse r = console_error(405, "Method not allowed.");
        r.headers.emplace_back("Allow", "GET, HEAD");
        return done(std::move(r));
    }
    if (allow_.allows(request.peer_address)) return done(metrics_answer(render()));
    // Otherwise an administrator's console session; the flag is read on the user's strand (the
    // CLI may have just changed it).
    const std::string_view cookie = cookie_value(request.cookie, kSessionCookie);
    auto session =
        cookie.empty() ? std::nullopt : sessions_.find(cookie, WebSessions::Clock::now());
    auto user = session ? hub_.find_user(session->email) : nullptr;
    if (!user) {
        spdlog::info("metrics: {} refused: not in metrics.allow and not signed in",
                     request.peer_address);
        return done(console_error(403, "Not in metrics.allow; sign in as an administrator."));
    }
    boost::asio::post(user->executor(), [this, user, done = std::move(done)] {
        if (!user->admin()) {
            spdlog::info("metrics: refused to {}: not an administrator", user->email());
            return done(console_error(403, "Administrators only."));
        }
        done(metrics_answer(render()));
    });
}

std::string Metrics::render() const {
    const hub::TrafficSnapshot t = hub::traffic_snapshot();
    const ServerFigures f = figures_ ? figures_() : ServerFigures{};
    MetricsText m;

    m.family("blynkd_build_info", "gauge", "Always 1; the version of this blynkd.");
    m.sample("blynkd_build_info", {{"version", BLYNKD_VERSION}}, uint64_t{1});
    const double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    m.single("blynkd_uptime_seconds", "gauge", "Seconds since the server started.",
             now - start_time_seconds());

    m.family("blynkd_connections", "gauge",
             "Connections open now, by kind (hardware, app, http) and transport (tcp, tls, ws, "
             "wss, serial: an MCU on a serial port).");
    by_kind_and_transport(m, "blynkd_connections",
                          {t.open(Traffic::Hardware), t.open(Traffic::App), t.open(Traffic::Http)});
    m.family("blynkd_connections_opened_total", "counter",
             "Connections accepted, by kind and transport (an HTTP connection upgraded to a "
             "WebSocket counts once as http, then as hardware or app).");
    by_kind_and_transport(m, "blynkd_connections_opened_total", t.opened);

    by_kind(m, "blynkd_logins_total", "Successful logins, by kind (hardware, app).", t.logins);
    by_kind(m, "blynkd_login_failures_total",
            "Refused logins (unknown token, wrong password, no such user), by kind.",
            t.login_failures);

    by_command(m, "blynkd_messages_received_total", "Blynk frames received, by kind and command.",
               t.frames_in);
    by_command(m, "blynkd_messages_sent_total",
               "Blynk frames sent, by kind and command (RESPONSE: status answers).", t.frames_out);
    m.single("blynkd_http_requests_total", "counter", "HTTP requests received.", t.http_requests);

    by_kind(m, "blynkd_quota_drops_total",
            "Frames dropped because their connection was over user.message.quota.limit.",
            t.quota_drops);
    by_kind(m, "blynkd_slow_reader_closes_total",
            "Connections closed because they read too slowly (write queue over 1 MiB).",
            t.slow_reader_drops);

    m.single("blynkd_tls_handshakes_total", "counter", "TLS handshakes completed.",
             t.tls_handshakes);
    m.single("blynkd_tls_handshake_failures_total", "counter",
             "TLS handshakes that failed or timed out.", t.tls_handshake_failures);

    m.single("blynkd_users", "gauge", "Accounts.", hub_.user_count());
    m.single("blynkd_devices", "gauge", "Devices.", hub_.device_count());
    m.single("blynkd_console_sessions", "gauge", "Web console sign-ins held.", f.console_sessions);

    m.single("blynkd_storage_pending_pins", "gauge",
             "Pin values waiting for the next flush (the storage queue, coalesced).",
             f.storage_pending_pins);
    m.single("blynkd_storage_pending_events", "gauge", "Events waiting for the next flush.",
             f.storage_pending_events);
    m.single("blynkd_storage_max_pending_pins", "gauge",
             "The most pin values that ever waited for one flush.", f.storage_max_pending_pins);
    m.family("blynkd_storage_flush_seconds", "summary",
             "Time spent writing and committing each successful batch.");
    m.sample("blynkd_storage_flush_seconds_sum", {},
             static_cast<double>(f.storage_commit_us) / 1e6);
    m.sample("blynkd_storage_flush_seconds_count", f.storage_flushes);
    m.single("blynkd_storage_flush_failures_total", "counter",
             "Batches that failed (their data is kept and retried).", f.storage_failed_flushes);
    m.single("blynkd_storage_pin_rows_total", "counter", "Pin rows committed (after coalescing).",
             f.storage_rows);
    m.single("blynkd_storage_dropped_events_total", "counter",
             "Events dropped because the pending queue was full.", f.storage_dropped_events);
    m.single("blynkd_storage_dropped_values_total", "counter",
             "Pin values and properties dropped while flushes failed and "
             "storage.backlog.max.values were waiting.",
             f.storage_dropped_values);
    m.single("blynkd_history_pending_points", "gauge",
             "Chart history points waiting for the next flush.", f.history_pending_points);
    m.single("blynkd_history_points_total", "counter", "Chart history points committed.",
             f.history_points);
    m.family("blynkd_history_dropped_points_total", "counter",
             "Chart history points refused, by reason: backlog (history.backlog.max.points were "
             "waiting) or user_cap (the user had history.user.max.points).");
    m.sample("blynkd_history_dropped_points_total", {{"reason", "backlog"}},
             f.history_dropped_backlog);
    m.sample("blynkd_history_dropped_points_total", {{"reason", "user_cap"}},
             f.history_dropped_user_cap);
    m.single("blynkd_mails_sent_total", "counter", "Mails the SMTP server accepted.", f.mails_sent);
    m.single("blynkd_mails_failed_total", "counter", "Mails given up after their retries.",
             f.mails_failed);
    m.single("blynkd_mail_retries_total", "counter",
             "Mails tried again after a 4xx answer or a lost connection.", f.mail_retries);
    m.single("blynkd_webhook_calls_total", "counter",
             "Webhook calls finished, whatever their outcome.", f.http_calls);
    m.single("blynkd_webhook_failures_total", "counter",
             "Webhook calls without an answer, with one too large or with a status of 400 or more.",
             f.http_failed);
    m.single("blynkd_outbound_refused_total", "counter",
             "Mails and webhook calls refused by a user's limit or a full queue.",
             f.outbound_refused);

    m.single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
             static_cast<uint64_t>(resident_bytes()));
    m.single("process_open_fds", "gauge", "Number of open file descriptors.",
             static_cast<uint64_t>(open_fds()));
    m.single("process_max_fds", "gauge", "Maximum number of open file descriptors.",
             static_cast<uint64_t>(max_fds()));
    m.single("process_start_time_seconds", "gauge",
             "Start time of the process since unix epoch in seconds.", start_time_seconds());
    return m.text();
}

}  // namespace blynk::http
