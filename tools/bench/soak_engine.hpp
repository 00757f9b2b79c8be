#pragma once
// The soak's load: every device and app session of a fleet held open on one epoll, each device
// writing a pin every few seconds (answered 200: hardware.write.ack=true), each app session
// writing to its user's device, and a steady share of the devices dropped (RST, like a board
// losing power) and logged in again by a second thread, for the whole run. Open loop: writes are
// stamped with their intended send time, so a stalled server shows as latency.

#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tools/bench/histogram.hpp"
#include "tools/bench/login_storm.hpp"

namespace blynk::bench {

enum class Transport : uint8_t { Plain, Tls, WebSocket };
const char* transport_name(Transport t);

struct SoakDevice {
    std::string token;
    Transport transport = Transport::Plain;
};

struct SoakConfig {
    uint16_t port = 0;
    uint16_t tls_port = 0;
    SSL_CTX* tls = nullptr;
    std::vector<SoakDevice> devices;
    double warmup_s = 10;
    double duration_s = 60;  ///< measured, after the warm-up; churn and writes run through both
    double device_interval_s = 5;  ///< each device writes once per interval
    double app_interval_s = 2;     ///< each app session writes to its device once per interval
    double churn_per_s = 20;       ///< devices dropped and logged in again per second
    size_t pins = 8;  ///< pins each device (and app) cycles over: 2 x pins keys per device
    double sample_every_s = 1;
    /// Called every sample_every_s with the seconds since the start and the devices online.
    std::function<void(double, size_t)> on_sample;
};

struct SoakStats {
    double seconds = 0;          ///< the measured window
    uint64_t device_writes = 0;  ///< sent in the measured window
    uint64_t app_writes = 0;
    uint64_t skipped_writes = 0;  ///< due while the device was reconnecting (whole run)
    Histogram ack;                ///< device write → its 200
    Histogram to_device;          ///< app write → arrival at the device
    Histogram to_app;             ///< device write → arrival at the user's app session
    uint64_t reconnects = 0;      ///< churned devices logged in again
    uint64_t dropped_by_bench = 0;
    uint64_t lost = 0;  ///< connections the server closed or broke (devices logged in again)
    std::map<std::string, uint64_t> reconnect_failures;  ///< reason → count (retried)
    std::map<uint32_t, uint64_t> error_answers;          ///< status → count
    uint64_t unanswered = 0;  ///< writes still waiting for their 200 when a device was dropped
};

class SoakEngine {
public:
    /// Takes over `devices` (one per config.devices entry, in order) and `apps` (app k is
    /// logged in as the user of device k).
    SoakEngine(SoakConfig config, std::vector<HeldConn> devices, std::vector<HeldConn> apps);
    ~SoakEngine();
    SoakEngine(const SoakEngine&) = delete;
    SoakEngine& operator=(const SoakEngine&) = delete;

    /// Warm-up and measured window; then churn stops, every dropped device is logged in again
    /// and the connections are drained for `settle_s`. Every connection is still open after.
    SoakStats run(double settle_s);
    /// Devices and app sessions currently logged in.
    size_t online() const;
    /// Closes every connection (RST).
    void close_all();

private:
    struct Peer;
    class Reconnector;

    void adopt(size_t index, const HeldConn& h);
    void drop(size_t index);
    /// The server closed or broke the connection: dropped, and a device is logged in again.
    void lose(size_t index);
    void want(size_t index, uint32_t events);
    void flush(size_t index);
    void on_readable(size_t index, uint64_t now);
    void on_message(size_t index, std::string_view frame_bytes, uint64_t now);
    /// Write number `round` of a device (or app) goes to pin round % pins: after `pins` rounds
    /// every pin holds a value, and the stored values stop growing.
    void send_device_write(size_t index, uint64_t sent_ns, size_t round);
    void send_app_write(size_t app, uint64_t sent_ns, size_t round);
    void queue(size_t index, std::string_view frame);
    bool counting(uint64_t sent_ns) const {
        return sent_ns >= measure_from_ && sent_ns < measure_to_;
    }

    SoakConfig c_;
    std::vector<Peer> peers_;  ///< devices, then app sessions
    size_t apps_ = 0;
    int ep_ = -1;
    uint64_t measure_from_ = 0;
    uint64_t measure_to_ = 0;
    uint64_t seq_ = 0;
    std::vector<size_t> lost_devices_;  ///< waiting to be handed to the reconnector
    SoakStats s_;
};

}  // namespace blynk::bench
