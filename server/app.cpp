#include "server/app.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

#include <spdlog/fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>

#include "config/ncp_ports.hpp"
#include "server/event_loop.hpp"
#include "server/http/admin_api.hpp"
#include "server/http/api.hpp"
#include "server/http/console.hpp"
#include "server/http/console_api.hpp"
#include "server/http/health.hpp"
#include "server/http/metrics.hpp"
#include "server/http/metrics_process.hpp"
#include "server/http/static_files.hpp"
#include "server/hub/app_context.hpp"
#include "server/hub/app_dispatcher.hpp"
#include "server/hub/dispatcher.hpp"
#include "server/hub/hub.hpp"
#include "server/hub/login_limiter.hpp"
#include "server/hub/webhooks.hpp"
#include "server/logging/log_setup.hpp"
#include "server/logging/peer_lines.hpp"
#include "server/ncp/ncp_port.hpp"
#include "server/net/connection_router.hpp"
#include "server/net/deadline_wheel.hpp"
#include "server/net/listener.hpp"
#include "server/net/live_connections.hpp"
#include "server/outbound/outbound_config.hpp"
#include "server/outbound/outbound_worker.hpp"
#include "server/periodic_task.hpp"
#include "server/provision_events.hpp"
#include "server/store/instance_lock.hpp"
#include "server/store/storage_worker.hpp"
#include "server/store/store.hpp"
#include "server/store/store_location.hpp"
#include "server/systemd_heartbeat.hpp"
#include "server/systemd_notifier.hpp"
#include "server/worker_persistence.hpp"

namespace blynk {
namespace {

using boost::asio::ip::tcp;

std::string self_path() {
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("blynkd") : p.string();
}

/// Console sessions held at once; beyond it the one closest to expiring is dropped.
constexpr size_t kMaxWebSessions = 10000;
/// /health/ready waits this long for the storage thread (its busy timeout is 5 s).
constexpr std::chrono::milliseconds kReadinessTimeout{3000};
/// After SIGTERM, closed connections finish their handlers within this time (each is one read
/// or write completing with "aborted").
constexpr std::chrono::seconds kDrainTimeout{5};

/// "3 session(s), 1 HTTP connection(s) and 5 unfinished connection(s)".
std::string closed_summary(const net::LiveConnections::Counts& counts) {
    using Stage = net::LiveConnections::Stage;
    auto n = [&](Stage s) { return counts[static_cast<size_t>(s)]; };
    return fmt::format(
        "{} session(s), {} HTTP connection(s) and {} unfinished connection(s) (detection, TLS "
        "handshake or login)",
        n(Stage::Session), n(Stage::Http), n(Stage::Unfinished));
}

/// Log lines suppressed by the peer-line limits or dropped by a full log queue, once a second.
void report_log_losses() {
    logging::report_suppressed();
    if (const size_t dropped = logging::take_dropped_lines()) {
        spdlog::warn("log: {} line(s) dropped: the log queue was full", dropped);
    }
}

/// systemd's STATUS= line.
std::string status_text(const hub::Hub& hub) {
    const auto t = hub::traffic_snapshot();
    return fmt::format("{} hardware, {} app, {} http connection(s); {} user(s), {} device(s)",
                       t.open_total(hub::Traffic::Hardware), t.open_total(hub::Traffic::App),
                       t.open_total(hub::Traffic::Http), hub.user_count(), hub.device_count());
}

tcp::endpoint endpoint_for(const std::string& address, uint16_t port) {
    if (address.empty()) return tcp::endpoint(tcp::v6(), port);  // dual-stack: IPv6 and IPv4
    return tcp::endpoint(boost::asio::ip::make_address(address), port);
}

/// Accounts made by the CLI before the app protocol existed hold a hash of the clear password,
/// which an app login (which sends a hash of its own) cannot be checked against.
void report_old_passwords(const std::vector<std::string>& emails) {
    if (emails.empty()) return;
    spdlog::warn(
        "{} account(s) have a password set by an older blynkd, which the Blynk app cannot log in "
        "with; set a new one with `blynkd user password EMAIL`: {}",
        emails.size(), fmt::join(emails, ", "));
}

/// The history.* keys as the history store takes them.
store::HistorySettings history_settings(const config::Settings& s) {
    auto days = [](uint32_t d) { return static_cast<int64_t>(d) * store::HistorySettings::kDay; };
    store::HistorySettings h;
    h.raw_keep_ms = days(s.history_raw_days);
    h.minute_keep_ms = days(s.history_minute_days);
    h.hour_keep_ms = days(s.history_hour_days);
    h.day_keep_ms = days(s.history_day_days);
    h.user_max_points = s.history_user_max_points;
    h.events_keep_ms = days(s.history_events_days);
    // Points reach the disk up to a flush interval (plus the hub's hand-over) after they were
    // written: a minute is rolled up once they all can have arrived.
    h.settle_ms = 2 * static_cast<int64_t>(s.storage_flush_interval_ms) + 2000;
    return h;
}

}  // namespace

App::App(config::Settings settings, std::filesystem::path data_dir)
    : settings_(std::move(settings)), data_dir_(std::move(data_dir)) {}

int App::run() {
    // A peer that resets its connection must cost one EPIPE, not the process: OpenSSL writes
    // through write(2), which raises SIGPIPE (Asio's own sends pass MSG_NOSIGNAL).
    std::signal(SIGPIPE, SIG_IGN);
    // A file-size limit (RLIMIT_FSIZE) must fail the write with EFBIG, which the storage worker
    // survives like a full disk, instead of killing the process.
    std::signal(SIGXFSZ, SIG_IGN);
    http::start_time_seconds();  // uptime counts from here
    SystemdNotifier systemd;
    auto metrics_allow = http::AddressAllowList::parse(settings_.metrics_allow);
    auto ncp_ports = config::parse_ncp_ports(settings_.ncp_ports);
    std::filesystem::create_directories(data_dir_);
    const auto instance = store::InstanceLock::for_server(data_dir_);  // held until exit
    const auto db_path = store::database_location(settings_, data_dir_);

    std::vector<model::User> users;
    std::vector<std::pair<std::string, model::AutomationMark>> automation_marks;
    std::vector<std::string> users_with_old_passwords;
    bool any_admin = false;
    int64_t last_seq = 0;
    {
        store::Store db(db_path);
        // Online flags left behind by a crash are stale: nobody is connected yet.
        db.mark_all_offline();
        users = db.load_all();
        automation_marks = db.automation_marks();
        for (const auto& u : users) {
            if (u.password_kind == model::PasswordKind::Clear)
                users_with_old_passwords.push_back(u.email);
            any_admin |= u.admin;
        }
        last_seq = db.last_provision_seq();
    }

    net::DeadlineWheel deadlines;
    // Stopping closes every connection and drains the loop; what is left then is destroyed by
    // io.destroy_handlers() before anything its handlers refer to.
    EventLoop io;
    // The worker starts before the hub exists (the hub persists through it); provisioning
    // events are applied once the hub is published here.
    std::atomic<hub::Hub*> live_hub{nullptr};
    // Console sign-ins; a password changed by the CLI signs the user's sessions out.
    http::WebSessions web_sessions(std::chrono::seconds(settings_.web_session_lifetime),
                                   kMaxWebSessions);
    store::StorageWorker* worker_ptr = nullptr;
    const std::chrono::milliseconds flush_interval(settings_.storage_flush_interval_ms);
    const auto pin_collect_interval = std::max(flush_interval / 10, std::chrono::milliseconds(5));
    store::StorageWorker worker(
        db_path, flush_interval - pin_collect_interval, last_seq,
        [&](std::vector<store::ProvisionEvent> events) {
            if (hub::Hub* h = live_hub.load())
                apply_provision_events(*worker_ptr, *h, web_sessions, std::move(events));
        },
        settings_.storage_backlog_max_values);
    worker_ptr = &worker;
    worker.configure_history(history_settings(settings_), settings_.history_backlog_max_points);
    WorkerPersistence persistence(worker);
    outbound::OutboundWorker outbound(outbound::outbound_options(settings_));
    hub::webhooks::set_failure_limit(settings_.webhooks_failure_count_limit);
    hub::Hub hub(io, persistence, outbound);
    hub.set_history_all_pins(settings_.history_all_pins);
    hub.notify_settings().interval =
        std::chrono::seconds(settings_.notifications_frequency_user_quota_limit);
    hub.load(std::move(users));
    hub.load_automation_marks(std::move(automation_marks));
    live_hub.store(&hub);

    persistence.set_limits({settings_.user_dashboard_max_limit, settings_.user_devices_limit});
    report_old_passwords(users_with_old_passwords);
    if (!any_admin) {
        // There is no default account: the first administrator is made on the server.
        spdlog::info(
            "no administrator yet; the web console's admin view needs one:\n"
            "    {} user add admin@example.com --password '<password>' --admin --data-dir {}",
            self_path(), data_dir_.string());
    }

    hub::TokenGuessLimiter token_guesses(
        hub::TokenGuessLimits{settings_.hardware_login_failures_before_delay,
                              settings_.hardware_login_failures_per_address,
                              std::chrono::seconds(settings_.login_lockout_seconds)});
    hub::Dispatcher dispatcher(hub, token_guesses);
    const hub::HardwareOptions options{
        settings_.user_message_quota_limit, settings_.hardware_write_ack,
        settings_.hard_socket_idle_timeout, settings_.hard_socket_max_per_token};
    const net::SessionLimits limits{settings_.hardware_max_body_size,
                                    settings_.hardware_prelogin_max_body_size,
                                    std::chrono::seconds(settings_.login_timeout_seconds)};

    // Password hashing runs here, never on an I/O thread (PBKDF2 takes tens of milliseconds).
    boost::asio::thread_pool password_pool(1);
    hub::LoginLimiter logins(
        hub::LoginLimits{settings_.login_failures_per_account, settings_.login_failures_per_address,
                         std::chrono::seconds(settings_.login_lockout_seconds),
                         std::chrono::seconds(settings_.login_lockout_seconds)});
    hub::HourlyLimiter registrations(settings_.hourly_registrations_limit);
    hub::AppContext app_context{hub, logins, registrations, password_pool};
    hub::AppDispatcher app_dispatcher(app_context);
    hub::AppOptions app_options;
    app_options.quota_per_second = settings_.user_message_quota_limit;
    app_options.idle_timeout = std::chrono::seconds(settings_.app_socket_idle_timeout);
    app_options.allow_registration = settings_.allow_registration;
    app_options.dashboards_limit = settings_.user_dashboard_max_limit;
    app_options.devices_limit = settings_.user_devices_limit;
    app_options.widget_max_bytes = settings_.user_widget_max_size_limit * 1024;
    app_options.profile_max_bytes = settings_.user_profile_max_size * 1024;
    app_options.server_host = settings_.server_host;
    app_options.public_url = outbound::public_url(settings_);
    // LOGIN carries an e-mail, a hash, the OS, the app's version and name: far under 1 KiB.
    const net::SessionLimits app_limits{app_options.profile_max_bytes, 1024,
                                        std::chrono::seconds(settings_.login_timeout_seconds)};

    auto tls_files =
        net::resolve_tls_files(settings_.ssl_cert, settings_.ssl_key, settings_.ssl_key_pass,
                               settings_.latest_tls, data_dir_, settings_.server_host);
    net::TlsContextHolder tls(tls_files);
    net::AddressLimiter handshakes(settings_.tls_handshake_per_ip_limit);
    net::AddressLimiter prelogin(settings_.prelogin_per_ip_limit);
    http::Api api(hub, settings_.user_message_quota_limit);
    const http::StaticFiles console_files(http::embedded_web_files());
    http::Console console(console_files, http::ConsoleOptions{settings_.web_console_plain});
    hub::TrafficRates traffic_rates;  // sampled below, every second
    http::AdminApi admin_api(app_context, traffic_rates, settings_.user_devices_limit,
                             [&](nlohmann::json& o) {
                                 const auto stats = worker.stats();
                                 o["storage"] = {{"pending_pins", stats.pending_pins},
                                                 {"pending_events", stats.pending_events},
                                                 {"flushes", stats.flushes},
                                                 {"failed_flushes", stats.failed_flushes},
                                                 {"dropped_events", stats.dropped_events}};
                                 o["console_sessions"] = web_sessions.size();
                             });
    http::ConsoleApi console_api(app_context, web_sessions, admin_api, settings_.web_console_plain);
    http::Metrics metrics(hub, web_sessions, std::move(metrics_allow), [&] {
        const auto stats = worker.stats();
        const auto sent = outbound.stats();
        return http::ServerFigures{.storage_pending_pins = stats.pending_pins,
                                   .storage_pending_events = stats.pending_events,
                                   .storage_max_pending_pins = stats.max_pending_pins,
                                   .storage_flushes = stats.flushes,
                                   .storage_failed_flushes = stats.failed_flushes,
                                   .storage_commit_us = stats.commit_us,
                                   .storage_rows = stats.flushed_pins,
                                   .storage_dropped_events = stats.dropped_events,
                                   .storage_dropped_values = stats.dropped_values,
                                   .history_pending_points = stats.pending_history,
                                   .history_points = stats.flushed_history,
                                   .history_dropped_backlog = stats.dropped_history,
                                   .history_dropped_user_cap = stats.history_over_cap,
                                   .console_sessions = web_sessions.size(),
                                   .mails_sent = sent.mails_sent,
                                   .mails_failed = sent.mails_failed,
                                   .mail_retries = sent.mail_retries,
                                   .http_calls = sent.http_calls,
                                   .http_failed = sent.http_failed,
                                   .outbound_refused = sent.refused};
    });
    http::Health health(
        io,
        [&worker](std::function<void(std::string)> answer) {
            const bool queued = worker.post([answer](store::Store& db) {
                try {
                    db.check_writable();
                    answer("");
                } catch (const std::exception& e) {
                    answer(e.what());
                }
            });
            if (!queued) answer("the storage queue is full");
        },
        kReadinessTimeout);
    const net::RouterConfig router{
        io,
        net::HardwareServices{dispatcher, options, limits, deadlines},
        net::AppServices{app_dispatcher, app_options, app_limits, deadlines},
        tls,
        handshakes,
        prelogin,
        api,
        console,
        console_api,
        metrics,
        health,
        net::HttpLimits{settings_.web_request_max_size,
                        std::chrono::seconds(settings_.http_header_timeout),
                        std::chrono::seconds(settings_.http_body_timeout)},
        std::chrono::seconds(settings_.login_timeout_seconds),
        std::chrono::seconds(settings_.tls_handshake_timeout)};

    struct PortPlan {
        uint16_t port;
        net::Layer layer;
        const char* what;
    };
    std::vector<PortPlan> plan{
        {settings_.http_port, net::Layer::Plain, "hardware, app, HTTP, WebSocket; plain or TLS"},
        {settings_.https_port, net::Layer::TlsPort, "TLS: hardware, app, HTTPS, WebSocket"}};
    if (settings_.hardware_plain_port) {
        plan.push_back(
            {settings_.hardware_plain_port, net::Layer::Plain, "hardware, legacy plain"});
    }
    if (settings_.hardware_ssl_port) {
        plan.push_back({settings_.hardware_ssl_port, net::Layer::TlsPort, "TLS: legacy hardware"});
    }
    // Signals are caught before the ports open: whoever sees "listening on" may send SIGTERM or
    // SIGHUP at once (a slow machine, or qemu, takes a while to reach io.run()); until then they
    // wait in the signal sets instead of ending the process without a flush.
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    boost::asio::signal_set hangups(io, SIGHUP);
    std::vector<std::shared_ptr<net::Listener>> listeners;
    uint16_t bound_http = 0;
    uint16_t bound_https = 0;
    for (const auto& p : plan) {
        auto listener = std::make_shared<net::Listener>(
            io, endpoint_for(settings_.listen_address, p.port), p.what,
            [&router, layer = p.layer](net::Socket socket) {
                net::route_connection(router, std::move(socket), layer);
            });
        listener->start();
        auto ep = listener->local_endpoint();
        spdlog::info("listening on {}:{} ({})", ep.address().to_string(), ep.port(), p.what);
        // http.port and https.port are the plan's first plain and first TLS port.
        uint16_t& bound = p.layer == net::Layer::TlsPort ? bound_https : bound_http;
        if (bound == 0) bound = ep.port();
        listeners.push_back(std::move(listener));
    }

    // MCUs on serial ports (Blynk.NCP): each port is one more device connection.
    for (auto& port : ncp_ports)
        std::make_shared<ncp::NcpPort>(io, std::move(port), dispatcher, options)->start();

    console.set_ports(bound_http, bound_https);
    spdlog::info("web console: {} file(s), {} KiB compressed, on https.port{}",
                 console_files.size(), (console_files.compressed_bytes() + 1023) / 1024,
                 settings_.web_console_plain ? " and http.port (web.console.plain)" : "");
    spdlog::info("data folder {}: {} user(s), {} device(s)", data_dir_.string(), hub.user_count(),
                 hub.device_count());
    if (hub.device_count() == 0) {
        const std::string bin = self_path();
        spdlog::info(
            "no devices yet. Create the first user and device (safe while the server runs):\n"
            "    {0} user add you@example.com --data-dir {1}\n"
            "    {0} device add you@example.com --name \"My ESP32\" --data-dir {1}\n"
            "  then flash Blynk.begin(\"<printed token>\", \"<this host>\", {2}) onto the board.",
            bin, data_dir_.string(), listeners.front()->local_endpoint().port());
    }

    // SIGHUP and changed certificate files (certbot renewals) reload the TLS pair.
    std::function<void()> wait_hangup = [&] {
        hangups.async_wait([&](boost::system::error_code ec, int) {
            if (ec) return;
            systemd.reloading();
            tls.reload("SIGHUP");
            systemd.ready(status_text(hub));
            wait_hangup();
        });
    };
    wait_hangup();
    PeriodicTask cert_check(io, std::chrono::seconds(settings_.tls_reload_check_interval),
                            [&] { tls.reload_if_changed(); });
    if (settings_.tls_reload_check_interval != 0) cert_check.start();

    // Changed pin values travel to the storage worker in per-user batches every tenth of the
    // flush interval; the worker commits every remaining nine tenths, so a value is on disk at
    // most one interval (plus the commit's own time) after it was written.
    PeriodicTask pin_collector(io, pin_collect_interval, [&] { hub.collect_pins(); });
    pin_collector.start();
    // Widgets with a reading frequency poll their devices (vr, id 7778) while an app is online.
    PeriodicTask reading_widgets(io, std::chrono::seconds(1), [&] { hub.poll_reading_widgets(); });
    PeriodicTask schedules(io, std::chrono::seconds(1), [&] { hub.run_schedules(); });
    reading_widgets.start();
    schedules.start();
    // Login deadlines and idle timeouts of every session.
    PeriodicTask deadline_ticker(io, deadlines.tick(),
                                 [&] { deadlines.advance(std::chrono::steady_clock::now()); });
    deadline_ticker.start();
    // Messages received per second, for the admin view.
    PeriodicTask traffic_sampler(io, std::chrono::seconds(1),
                                 [&] { traffic_rates.sample(std::chrono::steady_clock::now()); });
    traffic_sampler.start();
    PeriodicTask log_reports(io, std::chrono::seconds(1), report_log_losses);
    log_reports.start();
    // Both ports accept connections (the kernel queues them until the loop runs).
    systemd.ready(status_text(hub));
    SystemdHeartbeat systemd_heartbeat(io, systemd, [&hub] { return status_text(hub); });
    systemd_heartbeat.start();

    auto stop = [&](std::string_view why) {
        spdlog::info("{}: stopping", why);
        systemd.stopping();
        for (auto& l : listeners)
            l->stop();
        hangups.cancel();
        pin_collector.cancel();
        reading_widgets.cancel();
        schedules.cancel();
        deadline_ticker.cancel();
        traffic_sampler.cancel();
        systemd_heartbeat.cancel();
        cert_check.cancel();
        log_reports.cancel();
        io.stop();
    };
    signals.async_wait([&](boost::system::error_code ec, int signo) {
        if (!ec) stop(signo == SIGINT ? "SIGINT received" : "SIGTERM received");
    });
    // An exception that escaped a handler is logged and the loop goes on; a stream of them means
    // the server is broken, and a clean stop (with the final commit) beats spinning.
    io.on_repeated_failures([&] {
        boost::asio::post(io, [&] { stop("too many unexpected errors in event handlers"); });
    });

    const unsigned threads = settings_.server_worker_threads
                                 ? settings_.server_worker_threads
                                 : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i)
        pool.emplace_back([&io] { io.run_guarded(); });
    io.run_guarded();
    for (auto& t : pool)
        t.join();

    // The I/O threads are stopped: close every connection from here, then let their handlers
    // finish (leaving the hub, which queues their last state for storage) on this thread.
    const auto closed = net::live_connections().close_all();
    spdlog::info("stopping: closing {}", closed_summary(closed));
    if (!io.drain(kDrainTimeout)) {
        spdlog::warn("stopping: handlers still pending after {} s; dropping them",
                     kDrainTimeout.count());
    }
    outbound.stop();        // no webhook answer is posted to the loop from here on
    password_pool.join();   // a check still running posts to the stopped io_context: harmless
    io.destroy_handlers();  // whatever is left, while everything its handlers use still exists

    hub.flush_pins_now();  // the I/O threads are gone: no strand runs any more
    live_hub.store(nullptr);
    worker.stop();  // commits everything still pending
    // Connections end with the process: `device list` must not show them online.
    store::Store(db_path).mark_all_offline();
    auto stats = worker.stats();
    spdlog::info(
        "stopped; {} pin value(s) committed in {} flush(es) ({} ms of commits, at most {} "
        "waiting); {} history point(s) stored, {} dropped",
        stats.flushed_pins, stats.flushes, stats.commit_us / 1000, stats.max_pending_pins,
        stats.flushed_history, stats.dropped_history + stats.history_over_cap);
    return 0;
}

}  // namespace blynk
