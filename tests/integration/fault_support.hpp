#pragma once
// What the fault tests share: reading the server's database directly, and devices that write pin
// values as fast as the server answers, remembering what it acknowledged and when.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "server/store/sql_handle.hpp"
#include "server/store/store.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/occurrences.hpp"

namespace blynk::test {

using Clock = std::chrono::steady_clock;

/// The first column of the first row of `sql` on the database at `location` (a SQLite file or a
/// PostgreSQL URL: ServerProcess::database_location()); "" when no row.
inline std::string db_text(const std::string& location, const std::string& sql) {
    store::Database db(location);
    store::Statement st(db, sql, "test query");
    return st.step() ? st.column_text(0) : std::string();
}

/// Prints the log lines holding `needle` (figures for docs/reliability.md).
inline void print_lines(const std::string& log, const std::string& needle) {
    for (size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) {
        const size_t start = log.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
        std::printf("[ fault ] %s\n", log.substr(start, log.find('\n', at) - start).c_str());
    }
}

/// The stored value of pin `pin` ("v1") of the device with `token`; -1 when none is stored.
inline int64_t stored_counter(const std::string& location, const std::string& token,
                              const std::string& pin = "v1") {
    const std::string v =
        db_text(location,
                "SELECT p.value FROM pin_values p JOIN devices d ON p.user_email = d.user_email "
                "AND p.dash_id = d.dash_id AND p.device_id = d.id WHERE d.token = '" +
                    token + "' AND p.pin = '" + pin + "'");
    return v.empty() ? -1 : std::stoll(v);
}

/// A device writing `vw 1 <counter>` with a rising counter, `burst` writes then a ping, until
/// stopped or the server goes away. The ping's answer proves every write before it was handled.
class CounterWriter {
public:
    struct Ack {
        Clock::time_point at;
        int64_t counter = 0;  ///< the last value written before the acknowledged ping
    };

    CounterWriter(uint16_t port, std::string token, int burst = 20)
        : port_(port), token_(std::move(token)), burst_(burst) {}
    ~CounterWriter() { stop(); }

    void start() {
        thread_ = std::thread([this] { run(); });
    }
    void stop() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }
    /// Acknowledged writes, oldest first (read after stop()).
    const std::vector<Ack>& acks() const { return acks_; }
    const std::string& token() const { return token_; }
    /// The last acknowledged value (-1 when none).
    int64_t last_acked() const { return last_acked_.load(); }

private:
    void run() {
        try {
            RawClient c(port_);
            c.send_frame(cmd::kHardwareLogin, 1, token_);
            if (c.read_bytes(5, std::chrono::seconds(5)) != response(1, status::kOk)) return;
            uint16_t id = 2;
            while (!stopping_) {
                std::string bytes;
                for (int i = 0; i < burst_; ++i)
                    bytes +=
                        frame(cmd::kHardware, 2, body({"vw", "1", std::to_string(++counter_)}));
                const uint16_t ping_id = ++id == 0 ? ++id : id;
                bytes += frame(cmd::kPing, ping_id);
                c.send(bytes);
                if (c.read_bytes(5, std::chrono::seconds(5)) != response(ping_id, status::kOk))
                    return;
                acks_.push_back({Clock::now(), counter_});
                last_acked_ = counter_;
            }
        } catch (const std::exception&) {
            // The server was killed: what was acknowledged so far is the record.
        }
    }

    uint16_t port_;
    std::string token_;
    int burst_;
    int64_t counter_ = 0;
    std::atomic<int64_t> last_acked_{-1};
    std::atomic<bool> stopping_{false};
    std::vector<Ack> acks_;
    std::thread thread_;
};

}  // namespace blynk::test
