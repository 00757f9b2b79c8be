#include "config/keys.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <numeric>
#include <stdexcept>
#include <type_traits>

namespace blynk::config {
namespace {

constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warn",
                                           "error", "critical", "off"};
constexpr std::string_view kStorageEngines[] = {"sqlite", "postgresql"};

constexpr std::uint32_t kPortMax = 65535;

// Keys of the Java server that keep their meaning; see server-surface.md §8.3. Defaults must match
// the in-class initialisers of Settings (a unit test checks it).
// clang-format off
constexpr std::array kTable = {
    // Listeners
    KeySpec{"http.port", KeyType::Uint16, 0, kPortMax, "8080",
            "Plain port: hardware TCP, HTTP and WebSocket; 0 = an ephemeral port (for tests)",
            {}, &Settings::http_port},
    KeySpec{"https.port", KeyType::Uint16, 0, kPortMax, "9443",
            "TLS port: hardware over TLS, HTTPS and the mobile app; 0 = an ephemeral port (for tests)",
            {}, &Settings::https_port},
    KeySpec{"listen.address", KeyType::String, 0, 0, "",
            "Address to listen on; empty = all interfaces",
            {}, &Settings::listen_address},
    KeySpec{"server.host", KeyType::String, 0, 0, "",
            "Public host name of this server, used in TLS names and links; empty = none",
            {}, &Settings::server_host},
    KeySpec{"hardware.ssl.port", KeyType::Uint16, 0, kPortMax, "0",
            "Extra legacy TLS hardware port (8441 in old setups); 0 = off",
            {}, &Settings::hardware_ssl_port},
    KeySpec{"hardware.plain.port", KeyType::Uint16, 0, kPortMax, "0",
            "Extra legacy plain hardware port (8442 in old setups); 0 = off",
            {}, &Settings::hardware_plain_port},
    // TLS
    KeySpec{"server.ssl.cert", KeyType::Path, 0, 0, "",
            "PEM certificate chain file; empty = no certificate configured",
            {}, &Settings::ssl_cert},
    KeySpec{"server.ssl.key", KeyType::Path, 0, 0, "",
            "PEM private key file for server.ssl.cert",
            {}, &Settings::ssl_key},
    KeySpec{"server.ssl.key.pass", KeyType::String, 0, 0, "",
            "Password of server.ssl.key; empty = the key is not encrypted",
            {}, &Settings::ssl_key_pass},
    KeySpec{"latest.tls", KeyType::Bool, 0, 0, "true",
            "Allow only TLS 1.2 and TLS 1.3 with forward-secret AEAD ciphers; false also allows TLS 1.0/1.1 and older ciphers for old boards",
            {}, &Settings::latest_tls},
    KeySpec{"tls.handshake.timeout", KeyType::Uint32, 1, 300, "10",
            "Seconds a TLS handshake may take before the connection is closed",
            {}, &Settings::tls_handshake_timeout},
    KeySpec{"tls.handshake.per.ip.limit", KeyType::Uint32, 1, 100000, "32",
            "Unfinished TLS handshakes allowed at once from one client address",
            {}, &Settings::tls_handshake_per_ip_limit},
    KeySpec{"tls.reload.check.interval", KeyType::Uint32, 0, 3600, "30",
            "Seconds between checks whether the certificate files changed (then they are reloaded); 0 = only on SIGHUP",
            {}, &Settings::tls_reload_check_interval},
    // Storage and logging
    KeySpec{"data.folder", KeyType::Path, 0, 0, "",
            "Folder for the database; empty = the platform default; never under /tmp",
            {}, &Settings::data_folder},
    KeySpec{"log.level", KeyType::Enum, 0, 0, "info",
            "Log level of all loggers",
            kLogLevels, &Settings::log_level},
    KeySpec{"async.logger.ring.buffer.size", KeyType::Uint32, 64, 1048576, "2048",
            "Log lines waiting for the writer thread; when full, the oldest are dropped and counted",
            {}, &Settings::async_logger_ring_buffer_size},
    KeySpec{"storage", KeyType::Enum, 0, 0, "sqlite",
            "Where users, devices and pin values are kept: sqlite (blynkd.db in data.folder) or postgresql (storage.postgresql.url)",
            kStorageEngines, &Settings::storage},
    KeySpec{"storage.postgresql.url", KeyType::String, 0, 0, "",
            "The PostgreSQL database with storage=postgresql: a libpq URL, e.g. postgresql://blynkd:PASSWORD@db.example:5432/blynkd",
            {}, &Settings::storage_postgresql_url},
    KeySpec{"storage.flush.interval.ms", KeyType::Uint32, 10, 60000, "1000",
            "Pin values are committed to disk at least this often, in milliseconds",
            {}, &Settings::storage_flush_interval_ms},
    KeySpec{"storage.backlog.max.values", KeyType::Uint32, 100, 10000000, "200000",
            "Pin values and properties kept for the disk while writes fail (disk full, locked); beyond it new ones are dropped and counted",
            {}, &Settings::storage_backlog_max_values},
    // History of pin values
    KeySpec{"history.all.pins", KeyType::Bool, 0, 0, "false",
            "Keep the history of every pin's numeric values; false = only of pins a chart or report widget reads",
            {}, &Settings::history_all_pins},
    KeySpec{"history.raw.days", KeyType::Uint32, 0, 36500, "7",
            "Days every single history point is kept; 0 = forever",
            {}, &Settings::history_raw_days},
    KeySpec{"history.minute.days", KeyType::Uint32, 0, 36500, "30",
            "Days per-minute history aggregates (average, min, max, count) are kept; 0 = forever",
            {}, &Settings::history_minute_days},
    KeySpec{"history.hour.days", KeyType::Uint32, 0, 36500, "400",
            "Days per-hour history aggregates are kept; 0 = forever",
            {}, &Settings::history_hour_days},
    KeySpec{"history.day.days", KeyType::Uint32, 0, 36500, "3650",
            "Days per-day history aggregates are kept; 0 = forever",
            {}, &Settings::history_day_days},
    KeySpec{"history.user.max.points", KeyType::Uint32, 1000, 4000000000, "20000000",
            "History points (raw and aggregates) one user may store; beyond it the user's new points are refused and logged",
            {}, &Settings::history_user_max_points},
    KeySpec{"history.backlog.max.points", KeyType::Uint32, 1000, 100000000, "1000000",
            "History points waiting for the disk (between flushes, or while writes fail); beyond it new ones are dropped and counted",
            {}, &Settings::history_backlog_max_points},
    KeySpec{"history.events.days", KeyType::Uint32, 0, 36500, "90",
            "Days device events (logEvent) are kept; 0 = forever",
            {}, &Settings::history_events_days},
    // Hardware connections
    KeySpec{"hard.socket.idle.timeout", KeyType::Uint32, 0, 3600, "10",
            "Hardware heartbeat in seconds; a connection silent for ceil(2.3 x this) is closed; 0 = off",
            {}, &Settings::hard_socket_idle_timeout},
    KeySpec{"login.timeout", KeyType::Uint32, 1, 300, "10",
            "Seconds a new connection has to log in before it is closed",
            {}, &Settings::login_timeout_seconds},
    KeySpec{"prelogin.per.ip.limit", KeyType::Uint32, 1, 1000000, "256",
            "Connections one client address may hold open before they log in (HTTP: before a first complete request); more are closed at once",
            {}, &Settings::prelogin_per_ip_limit},
    KeySpec{"hardware.max.body.size", KeyType::Uint32, 64, 65535, "16384",
            "Largest message body in bytes after login; a larger one closes the connection",
            {}, &Settings::hardware_max_body_size},
    KeySpec{"hardware.prelogin.max.body.size", KeyType::Uint32, 40, 65535, "256",
            "Largest message body in bytes before login; a larger one closes the connection",
            {}, &Settings::hardware_prelogin_max_body_size},
    KeySpec{"hardware.write.ack", KeyType::Bool, 0, 0, "false",
            "Answer every successful hardware write with status 200 (the Java server sends nothing)",
            {}, &Settings::hardware_write_ack},
    KeySpec{"user.message.quota.limit", KeyType::Uint32, 1, 1000000, "100",
            "Messages per second per connection, dropped above it; also REST writes per second per device token, answered 429 above it",
            {}, &Settings::user_message_quota_limit},
    KeySpec{"notifications.frequency.user.quota.limit", KeyType::Uint32, 0, 86400, "5",
            "Seconds between notifications (notify) of one device; a sooner one is answered QUOTA_LIMIT (REST: 429); 0 = no limit",
            {}, &Settings::notifications_frequency_user_quota_limit},
    KeySpec{"hard.socket.max.per.token", KeyType::Uint32, 0, 1000000, "20",
            "Connections logged in with one device token at a time; a login over it is answered NOT_ALLOWED and closed; 0 = no limit",
            {}, &Settings::hard_socket_max_per_token},
    KeySpec{"hardware.login.failures.before.delay", KeyType::Uint32, 0, 1000000, "9",
            "Wrong device tokens from one client address answered at once; later ones (within login.lockout seconds) wait 1 s, doubling up to 8 s",
            {}, &Settings::hardware_login_failures_before_delay},
    KeySpec{"hardware.login.failures.per.address", KeyType::Uint32, 1, 1000000, "100",
            "Wrong device tokens from one client address (within login.lockout seconds) before its device logins are closed unanswered for login.lockout seconds",
            {}, &Settings::hardware_login_failures_per_address},
    // Limits
    KeySpec{"user.devices.limit", KeyType::Uint32, 1, 1000000, "50",
            "Devices per dashboard",
            {}, &Settings::user_devices_limit},
    KeySpec{"user.dashboard.max.limit", KeyType::Uint32, 1, 1000000, "100",
            "Dashboards per user",
            {}, &Settings::user_dashboard_max_limit},
    // Mobile app
    KeySpec{"app.socket.idle.timeout", KeyType::Uint32, 0, 86400, "300",
            "Seconds an app connection may stay silent before it is closed; 0 = off",
            {}, &Settings::app_socket_idle_timeout},
    KeySpec{"allow.registration", KeyType::Bool, 0, 0, "true",
            "Let the app create accounts (REGISTER); false = accounts only from blynkd user add",
            {}, &Settings::allow_registration},
    KeySpec{"hourly.registrations.limit", KeyType::Uint32, 0, 1000000, "20",
            "Accounts one client address may register per hour; 0 = no limit",
            {}, &Settings::hourly_registrations_limit},
    KeySpec{"login.failures.per.account", KeyType::Uint32, 1, 1000000, "5",
            "Wrong app passwords for one account (from any address) before it is locked for login.lockout seconds",
            {}, &Settings::login_failures_per_account},
    KeySpec{"login.failures.per.address", KeyType::Uint32, 1, 1000000, "20",
            "Failed app logins from one client address before it is locked for login.lockout seconds",
            {}, &Settings::login_failures_per_address},
    KeySpec{"login.lockout", KeyType::Uint32, 1, 86400, "900",
            "Seconds a locked account or address waits (app logins and device tokens); failures count within the same window",
            {}, &Settings::login_lockout_seconds},
    KeySpec{"user.widget.max.size.limit", KeyType::Uint32, 1, 1024, "20",
            "Largest JSON of one widget, in KB",
            {}, &Settings::user_widget_max_size_limit},
    KeySpec{"user.profile.max.size", KeyType::Uint32, 1, 65536, "256",
            "Largest dashboard JSON (CREATE_DASH, UPDATE_DASH) and app message body, in KB",
            {}, &Settings::user_profile_max_size},
    // HTTP
    KeySpec{"web.request.max.size", KeyType::Uint32, 1024, 67108864, "524288",
            "Largest HTTP request body in bytes; a larger one is answered 413",
            {}, &Settings::web_request_max_size},
    KeySpec{"http.header.timeout", KeyType::Uint32, 1, 3600, "10",
            "Seconds an HTTP connection may take to send a request's header (keep-alive idle time included)",
            {}, &Settings::http_header_timeout},
    KeySpec{"http.body.timeout", KeyType::Uint32, 1, 3600, "30",
            "Seconds an HTTP client may take to send a request's body, and to take a response",
            {}, &Settings::http_body_timeout},
    KeySpec{"web.console.plain", KeyType::Bool, 0, 0, "false",
            "Serve the web console on http.port too (behind a TLS-terminating proxy); false = redirect it to https.port",
            {}, &Settings::web_console_plain},
    KeySpec{"web.session.lifetime", KeyType::Uint32, 60, 31536000, "604800",
            "Seconds a web console sign-in lasts (the cookie's Max-Age)",
            {}, &Settings::web_session_lifetime},
    KeySpec{"metrics.allow", KeyType::String, 0, 0, "127.0.0.1,::1",
            "Addresses and CIDR ranges (comma-separated) that may read /metrics without signing in; none = administrators only (console sign-in)",
            {}, &Settings::metrics_allow},
    // Outbound: e-mail and webhooks
    KeySpec{"mail.config", KeyType::Path, 0, 0, "",
            "The mail.properties file (SMTP server); empty = mail.properties next to the server.properties in use (or in the current folder) if there is one, else mail is off",
            {}, &Settings::mail_config},
    KeySpec{"server.public.url", KeyType::String, 0, 0, "",
            "Base URL of this server in mailed links (CSV exports), e.g. https://blynk.example.com:9443; empty = https://<server.host>:<https.port>",
            {}, &Settings::public_url},
    KeySpec{"notifications.queue.limit", KeyType::Uint32, 1, 1000000, "2000",
            "Mails and webhook calls waiting for the outbound worker; beyond it new ones are refused",
            {}, &Settings::notifications_queue_limit},
    KeySpec{"webhooks.frequency.user.quota.limit", KeyType::Uint32, 0, 3600000, "1000",
            "Milliseconds between two webhook calls of one user; a write within it calls no webhook; 0 = no limit",
            {}, &Settings::webhooks_frequency_user_quota_limit},
    KeySpec{"webhooks.response.size.limit", KeyType::Uint32, 1, 65536, "96",
            "Largest webhook answer in KB; a larger one is dropped and counts as a failure",
            {}, &Settings::webhooks_response_size_limit},
    KeySpec{"webhooks.failure.count.limit", KeyType::Uint32, 0, 1000000, "10",
            "Failed calls in a row after which a webhook stops until its widget is changed or the server restarts; 0 = never stops",
            {}, &Settings::webhooks_failure_count_limit},
    // Blynk.NCP
    KeySpec{"ncp.ports", KeyType::String, 0, 0, "",
            "Serial ports with an MCU running the Blynk.NCP driver, each the device of a token: PATH=TOKEN [baud=N] [frame=N], separated by ';' (baud: the rate the MCU starts at, 38400; frame: the largest frame it can take, 1536, 250 for AVR); empty = none",
            {}, &Settings::ncp_ports},
    // Threads
    KeySpec{"server.worker.threads", KeyType::Uint32, 0, 256, "0",
            "I/O threads; 0 = one per CPU core",
            {}, &Settings::server_worker_threads},
};
// clang-format on

// Keys of the Java server (server-surface.md §8.3) that make no sense here: Java logging, the
// PostgreSQL/ACME/admin/notification features, and pool sizes of widgets we do not keep.
constexpr std::string_view kIgnored[] = {
    "logs.folder",
    "profile.save.worker.period",
    "stats.print.worker.period",
    "allow.store.ip",
    "force.port.80.for.csv",
    "force.port.80.for.redirect",
    "hardware.mqtt.port",
    "enable.db",
    "enable.raw.db.data.store",
    "initial.energy",
    "admin.rootPath",
    "allowed.administrator.ips",
    "admin.email",
    "admin.pass",
    "contact.email",
    "region",
    "product.name",
    "net.interface",
    "restore.host",
    "blocking.processor.thread.pool.limit",
    "user.tags.limit",
    "terminal.strings.pool.size",
    "map.strings.pool.size",
    "lcd.strings.pool.size",
    "table.rows.pool.size",
    "csv.export.data.points.max",
    "allow.reading.widget.without.active.app",
    "renewal.disabled",
    "store.minute.record.days",
    "store.export.csv.report.days",
    "vendor.email",
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

// Digits only (no sign, no spaces, no hex, no exponent), within the key's bounds.
std::optional<std::uint32_t> parse_number(const KeySpec& key, std::string_view text) {
    if (text.empty() ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    std::uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    if (v < key.min || v > key.max) return std::nullopt;
    return static_cast<std::uint32_t>(v);
}

std::optional<bool> parse_bool(std::string_view text) {
    if (iequals(text, "true")) return true;
    if (iequals(text, "false")) return false;
    return std::nullopt;
}

// String and Path keys take the text as it is; Enum keys one of their choices, as spelt there.
std::optional<std::string_view> parse_text(const KeySpec& key, std::string_view text) {
    if (key.type != KeyType::Enum) return text;
    for (std::string_view choice : key.choices) {
        if (iequals(text, choice)) return choice;
    }
    return std::nullopt;
}

// Parses `text` straight into the type of the field `key` writes and stores it; false (and the
// field unchanged) when the text is not a valid value. No variant of parsed values is passed
// around: GCC 12 for aarch64 reported one's string as maybe-uninitialized (a false positive).
bool parse_into(const KeySpec& key, std::string_view text, Settings& s) {
    return std::visit(
        [&](auto member) {
            using Field = std::remove_reference_t<decltype(s.*member)>;
            if constexpr (std::is_same_v<Field, std::string> ||
                          std::is_same_v<Field, std::filesystem::path>) {
                const auto value = parse_text(key, text);
                if (value) s.*member = Field(std::string(*value));
                return value.has_value();
            } else if constexpr (std::is_same_v<Field, bool>) {
                const auto value = parse_bool(text);
                if (value) s.*member = *value;
                return value.has_value();
            } else {
                const auto value = parse_number(key, text);
                if (value) s.*member = static_cast<Field>(*value);
                return value.has_value();
            }
        },
        key.field);
}

}  // namespace

std::span<const KeySpec> key_table() {
    return kTable;
}

std::span<const std::string_view> ignored_keys() {
    return kIgnored;
}

const KeySpec* find_key(std::string_view name) {
    for (const KeySpec& k : kTable) {
        if (k.name == name) return &k;
    }
    return nullptr;
}

bool is_ignored_key(std::string_view name) {
    auto list = ignored_keys();
    return std::find(list.begin(), list.end(), name) != list.end();
}

std::string_view type_name(KeyType type) {
    switch (type) {
        case KeyType::String:
            return "string";
        case KeyType::Uint16:
            return "uint16";
        case KeyType::Uint32:
            return "uint32";
        case KeyType::Bool:
            return "bool";
        case KeyType::Path:
            return "path";
        case KeyType::Enum:
            return "enum";
    }
    return "?";
}

std::string allowed_text(const KeySpec& key) {
    switch (key.type) {
        case KeyType::String:
            return "any text";
        case KeyType::Path:
            return "a path";
        case KeyType::Uint16:
        case KeyType::Uint32:
            return "a whole number from " + std::to_string(key.min) + " to " +
                   std::to_string(key.max);
        case KeyType::Bool:
            return "true or false";
        case KeyType::Enum: {
            std::string out = "one of ";
            for (std::size_t i = 0; i < key.choices.size(); ++i) {
                if (i > 0) out += ", ";
                out += key.choices[i];
            }
            return out;
        }
    }
    return {};
}

std::string value_text(const KeySpec& key, const Settings& s) {
    return std::visit(
        [&](auto member) -> std::string {
            using Field = std::remove_cvref_t<decltype(s.*member)>;
            const Field& v = s.*member;
            if constexpr (std::is_same_v<Field, std::string>) {
                return v;
            } else if constexpr (std::is_same_v<Field, std::filesystem::path>) {
                return v.string();
            } else if constexpr (std::is_same_v<Field, bool>) {
                return v ? "true" : "false";
            } else {
                return std::to_string(v);
            }
        },
        key.field);
}

std::optional<std::string> set_value(const KeySpec& key, std::string_view value, Settings& s) {
    std::string_view text = trim(value);
    // Like the Java server: a blank value means "use the default".
    if (text.empty()) text = key.default_text;
    if (!parse_into(key, text, s)) return "expected " + allowed_text(key);
    return std::nullopt;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::optional<std::string_view> suggest_key(std::string_view unknown) {
    const std::size_t limit = std::max<std::size_t>(2, unknown.size() / 3);
    std::optional<std::string_view> best;
    std::size_t best_distance = limit + 1;
    auto consider = [&](std::string_view candidate) {
        std::size_t d = edit_distance(unknown, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    };
    for (const KeySpec& k : kTable)
        consider(k.name);
    for (std::string_view k : ignored_keys())
        consider(k);
    return best;
}

void apply_key_value(std::string_view where, std::string_view key, std::string_view value,
                     Settings& settings, std::vector<std::string>& warnings) {
    const std::string prefix = std::string(where) + ": ";
    if (key.empty()) throw ConfigError(prefix + "missing key before the value");
    if (const KeySpec* spec = find_key(key)) {
        if (auto expected = set_value(*spec, value, settings)) {
            throw ConfigError(prefix + std::string(key) + " = \"" + std::string(trim(value)) +
                              "\": " + *expected);
        }
        return;
    }
    if (is_ignored_key(key)) {
        warnings.push_back(prefix + "key \"" + std::string(key) +
                           "\" is accepted for compatibility with the Java server and has no "
                           "effect");
        return;
    }
    std::string message = prefix + "unknown key \"" + std::string(key) + "\"";
    if (auto suggestion = suggest_key(key)) {
        message += " (did you mean \"" + std::string(*suggestion) + "\"?)";
    }
    throw ConfigError(message);
}

}  // namespace blynk::config
