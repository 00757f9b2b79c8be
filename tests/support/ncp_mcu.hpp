#pragma once
// An MCU running the Blynk.NCP driver, for the tests: it talks to blynkd over a pseudo-terminal
// whose other side the server opens as its serial port (ncp.ports). Written from ncp.md with the
// project's codec; the real driver is not in the repository (ncp.md §5).

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "common/proto/ncp_framing.hpp"
#include "common/proto/ncp_rpc.hpp"

namespace blynk::test {

class NcpMcu {
public:
    using Duration = std::chrono::milliseconds;

    /// One message from the server, its bytes owned.
    struct Received {
        proto::ncp::Message::Kind kind{};
        uint16_t uid = 0;
        uint16_t msg_id = 0;
        uint8_t status = 0;
        std::string data;
    };

    /// Opens a pseudo-terminal; the server is given slave_path().
    NcpMcu();
    ~NcpMcu();
    NcpMcu(const NcpMcu&) = delete;
    NcpMcu& operator=(const NcpMcu&) = delete;

    const std::string& slave_path() const { return slave_path_; }

    /// Sends an INVOKE and waits for its RESULT; what else arrives meanwhile is kept for the
    /// expect_* calls. nullopt when no RESULT came in time.
    std::optional<Received> call(uint16_t uid, std::string_view args = {},
                                 Duration timeout = Duration(2000));
    void oneway(uint16_t uid, std::string_view args = {});
    /// Sends the RESULT of an INVOKE of the server's.
    void answer(uint16_t msg_id, uint8_t status, std::string_view rets = {});
    /// Writes bytes as they are (junk, broken frames).
    void send_raw(std::string_view bytes);

    /// The next ONEWAY `uid` from the server (earlier messages of other kinds are skipped and
    /// kept); nullopt when none came in time.
    std::optional<std::string> expect_oneway(uint16_t uid, Duration timeout = Duration(2000));
    /// The next INVOKE `uid` from the server.
    std::optional<Received> expect_invoke(uint16_t uid, Duration timeout = Duration(2000));
    /// Whether nothing at all arrives within `timeout` (nothing kept either).
    bool expect_silence(Duration timeout);
    /// Closes this side of the pseudo-terminal: the server reads the link's end.
    void unplug();
    /// Forgets what was received and kept.
    void forget() { kept_.clear(); }

    /// The stock start-up of ncp.md §3.5 A: ping, switch to 115200 baud, version, firmware info,
    /// initialize; true when each answer was right. The state pushes are left for the caller.
    bool start_up(std::string_view template_id = "TMPL0vFkFmJM7",
                  std::string_view template_name = "QPower");

private:
    std::optional<Received> find(bool (*match)(const Received&, uint16_t), uint16_t key,
                                 Duration timeout);
    /// Reads what the server sent until `deadline`; false when nothing came.
    bool read_some(std::chrono::steady_clock::time_point deadline);
    void send_payload(const std::string& payload);

    int master_ = -1;
    /// Our own hold on the other side: the terminal's number stays ours after unplug(), so a
    /// test running in parallel cannot get it and have our server open its terminal.
    int slave_hold_ = -1;
    std::string slave_path_;
    proto::ncp::Deframer deframer_;
    std::deque<Received> kept_;
    uint16_t next_id_ = 1;
};

}  // namespace blynk::test
