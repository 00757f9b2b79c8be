#pragma once
// The Blynk.NCP frames of the protocol research (shared docs protocol/ncp.md §3.5: A, a stock MCU's
// start-up; B, the data path, both captured from the real driver; C, escapes in the CRC and status
// bytes), with their payloads written out by hand.
#include <string>
#include <string_view>
#include <vector>

namespace blynk::proto::ncp::golden {

/// Bytes from hex pairs separated by spaces ("aa bc 67").
inline std::string hex(std::string_view text) {
    std::string out;
    for (size_t i = 0; i + 2 <= text.size(); i += 3)
        out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    return out;
}

struct Frame {
    const char* name;
    std::string wire;     ///< as sent by the driver (or computed, for C)
    std::string payload;  ///< the frame's unescaped payload
    std::string
        encoded;  ///< what our encoder sends for the payload: `wire` unless it has raw 11/13
};

inline Frame frame(const char* name, std::string_view wire, std::string_view payload,
                   std::string_view encoded = {}) {
    return {name, hex(wire), hex(payload), hex(encoded.empty() ? wire : encoded)};
}

inline const std::vector<Frame>& frames() {
    static const std::vector<Frame> all = {
        // A. start-up
        frame("ping id 1", "aa bc 67 01 01 01 00 4f bb", "bc 67 01 01 01 00"),
        frame("result id 1 ok", "aa 12 a5 01 00 00 2c bb", "12 a5 01 00 00"),
        frame("setUartBaudRate 2000000", "aa bc 67 01 02 02 00 80 84 1e 00 44 bb",
              "bc 67 01 02 02 00 80 84 1e 00"),
        frame("result id 2 true", "aa 12 a5 02 00 00 01 f9 bb", "12 a5 02 00 00 01"),
        frame("ping id 3", "aa bc 67 01 01 03 00 65 bb", "bc 67 01 01 03 00"),
        frame("initialize",
              "aa bc 67 01 03 08 00 54 4d 50 4c 30 76 46 6b 46 6d 4a 4d 37 00 51 50 6f 77 65 72 "
              "00 24 bb",
              "bc 67 01 03 08 00 54 4d 50 4c 30 76 46 6b 46 6d 4a 4d 37 00 51 50 6f 77 65 72 00"),
        frame("result id 8 true", "aa 12 a5 08 00 00 01 65 bb", "12 a5 08 00 00 01"),
        frame("state 4", "aa f3 1c cc ee 04 04 a1 bb", "f3 1c 11 04 04"),
        frame("state 5", "aa f3 1c cc ee 04 05 a6 bb", "f3 1c 11 04 05"),
        frame("event 20", "aa f3 1c 21 04 14 30 bb", "f3 1c 21 04 14"),
        frame("spec ping id 2", "aa bc 67 01 01 02 00 70 bb", "bc 67 01 01 02 00"),
        frame("spec result id 2", "aa 12 a5 02 00 00 91 bb", "12 a5 02 00 00"),
        // B. data path; the first two carry a raw 11 / 13 as Arduino MCUs send them
        frame("virtualWrite V0 raw 11", "aa f3 1c 11 03 00 00 01 00 30 42 bb",
              "f3 1c 11 03 00 00 01 00 30", "aa f3 1c cc ee 03 00 00 01 00 30 42 bb"),
        frame("syncVirtual raw 13", "aa f3 1c 13 03 04 00 31 00 31 37 72 bb",
              "f3 1c 13 03 04 00 31 00 31 37", "aa f3 1c cc ec 03 04 00 31 00 31 37 72 bb"),
        frame("blynkVPinChange V1", "aa f3 1c 12 04 01 00 01 00 31 9e bb",
              "f3 1c 12 04 01 00 01 00 31"),
        frame("blynkVPinChange V2 multi", "aa f3 1c 12 04 02 00 05 00 61 00 62 00 63 ab bb",
              "f3 1c 12 04 02 00 05 00 61 00 62 00 63"),
        frame("setProperty",
              "aa f3 1c 14 03 00 00 63 6f 6c 6f 72 00 07 00 23 46 46 30 30 30 30 7f bb",
              "f3 1c 14 03 00 00 63 6f 6c 6f 72 00 07 00 23 46 46 30 30 30 30"),
        frame("logEvent crc 00", "aa f3 1c 17 03 6f 76 65 72 68 65 61 74 00 54 3d 39 39 00 00 bb",
              "f3 1c 17 03 6f 76 65 72 68 65 61 74 00 54 3d 39 39 00"),
        frame("mcu.ping id 257", "aa bc 67 81 01 01 01 79 bb", "bc 67 81 01 01 01"),
        frame("result id 257 ok", "aa 12 a5 01 01 00 39 bb", "12 a5 01 01 00"),
        // C. escaped CRC, escaped status
        frame("result id 23 crc cc", "aa 12 a5 17 00 00 05 cc 33 bb", "12 a5 17 00 00 05"),
        frame("result id 3 unknown uid", "aa 12 a5 03 00 cc ec 83 bb", "12 a5 03 00 13"),
    };
    return all;
}

}  // namespace blynk::proto::ncp::golden
