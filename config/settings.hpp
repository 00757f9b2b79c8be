#pragma once
// Plain configuration values with their defaults. The key table (keys.cpp) maps every
// server.properties key onto one of these fields; nothing else reads the properties file.

#include <cstdint>
#include <filesystem>
#include <string>

namespace blynk::config {

struct Settings {
    // Listeners
    std::string listen_address;        ///< empty = all interfaces
    uint16_t http_port = 8080;         ///< plain port: hardware TCP (HTTP/WebSocket later)
    uint16_t https_port = 9443;        ///< TLS port (used from the TLS issue on)
    uint16_t hardware_ssl_port = 0;    ///< optional legacy alias (8441), 0 = off
    uint16_t hardware_plain_port = 0;  ///< optional legacy alias (8442), 0 = off
    std::string server_host;           ///< public host name, used in TLS SANs and links

    // TLS (parsed now, used by the TLS issue)
    std::string ssl_cert;                      ///< server.ssl.cert: PEM chain
    std::string ssl_key;                       ///< server.ssl.key: PEM key
    std::string ssl_key_pass;                  ///< server.ssl.key.pass
    bool latest_tls = true;                    ///< TLS 1.2 and 1.3 only
    uint32_t tls_handshake_timeout = 10;       ///< seconds for a TLS handshake to finish
    uint32_t tls_handshake_per_ip_limit = 32;  ///< unfinished handshakes per client address
    uint32_t tls_reload_check_interval = 30;   ///< seconds between checks of the cert files

    // Storage and logging
    std::filesystem::path
        data_folder;                 ///< empty = the platform default (see default_data_folder())
    std::string log_level = "info";  ///< trace, debug, info, warn, error, critical, off
    uint32_t async_logger_ring_buffer_size = 2048;  ///< log lines queued for the writer thread
    std::string storage = "sqlite";                 ///< sqlite or postgresql
    std::string storage_postgresql_url;             ///< libpq URL with storage=postgresql
    uint32_t storage_flush_interval_ms = 1000;     ///< pin values are committed at least this often
    uint32_t storage_backlog_max_values = 200000;  ///< pending pin values + properties, at most

    // History of pin values (server/store/history_store.hpp)
    bool history_all_pins = false;                  ///< every pin, not only charted ones
    uint32_t history_raw_days = 7;                  ///< raw points; 0 = forever
    uint32_t history_minute_days = 30;              ///< minute aggregates; 0 = forever
    uint32_t history_hour_days = 400;               ///< hour aggregates; 0 = forever
    uint32_t history_day_days = 3650;               ///< day aggregates; 0 = forever
    uint32_t history_user_max_points = 20000000;    ///< rows of every level per user
    uint32_t history_backlog_max_points = 1000000;  ///< points waiting for the disk, at most
    uint32_t history_events_days = 90;              ///< device events; 0 = forever

    // Hardware connections
    uint32_t hard_socket_idle_timeout = 10;   ///< seconds; read-idle = ceil(2.3 x this); 0 = off
    uint32_t login_timeout_seconds = 10;      ///< a socket that has not logged in by then is closed
    uint32_t prelogin_per_ip_limit = 256;     ///< connections not logged in yet per client address
    uint32_t hardware_max_body_size = 16384;  ///< bytes; larger frames close the connection
    uint32_t hardware_prelogin_max_body_size = 256;  ///< bytes, before login
    bool hardware_write_ack = false;          ///< answer every successful hardware write with 200
    uint32_t user_message_quota_limit = 100;  ///< per connection, and REST writes per token
    uint32_t notifications_frequency_user_quota_limit = 5;  ///< seconds between a device's notify
    uint32_t hard_socket_max_per_token = 20;  ///< connections logged in per token; 0 = no limit
    uint32_t hardware_login_failures_before_delay = 9;   ///< wrong tokens answered at once
    uint32_t hardware_login_failures_per_address = 100;  ///< wrong tokens that block an address

    // Limits
    uint32_t user_devices_limit = 50;         ///< devices per dashboard
    uint32_t user_dashboard_max_limit = 100;  ///< dashboards per user

    // Mobile app
    uint32_t app_socket_idle_timeout = 300;  ///< seconds; 0 = off
    bool allow_registration = true;
    uint32_t hourly_registrations_limit = 20;  ///< per client address
    uint32_t login_failures_per_account = 5;
    uint32_t login_failures_per_address = 20;
    uint32_t login_lockout_seconds = 900;
    uint32_t user_widget_max_size_limit = 20;  ///< KB
    uint32_t user_profile_max_size = 256;      ///< KB

    // HTTP
    uint32_t web_request_max_size = 524288;       ///< bytes of an HTTP request body
    uint32_t http_header_timeout = 10;            ///< seconds to receive a request header
    uint32_t http_body_timeout = 30;              ///< seconds to receive a body or send a response
    bool web_console_plain = false;               ///< serve the console over plain HTTP too
    uint32_t web_session_lifetime = 604800;       ///< seconds a console sign-in lasts
    std::string metrics_allow = "127.0.0.1,::1";  ///< addresses/ranges that may read /metrics

    // Outbound: e-mail and webhooks (server/outbound)
    std::string mail_config;                    ///< mail.properties; empty = none found
    std::string public_url;                     ///< links in mails; empty = from server.host
    uint32_t notifications_queue_limit = 2000;  ///< mails and HTTP calls waiting
    uint32_t webhooks_frequency_user_quota_limit = 1000;  ///< ms between a user's webhooks
    uint32_t webhooks_response_size_limit = 96;           ///< KB of a webhook's answer
    uint32_t webhooks_failure_count_limit = 10;           ///< failures in a row before it stops

    // Blynk.NCP: MCUs on serial ports (config/ncp_ports.hpp parses it)
    std::string ncp_ports;  ///< "PATH=TOKEN [baud=N] [frame=N]; ..."; empty = none

    // Threads
    uint32_t server_worker_threads = 0;  ///< 0 = number of cores
};

}  // namespace blynk::config
