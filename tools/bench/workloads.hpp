#pragma once
// The message shapes of the load scenarios.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/proto/codec.hpp"
#include "tools/bench/workload.hpp"

namespace blynk::bench {

/// A frame `command` of `layout` with the body `[<prefix>\0]vw\01\0<stamp>` from the sender;
/// each receiver gets a frame whose last field is the stamp. Released on delivery (at every
/// receiver). A device's write to its user's apps is HARDWARE without a prefix (the apps get
/// `<dash>-<device>\0vw\01\0<stamp>` in the app framing); an app's write to a device is HARDWARE
/// in the app framing with the prefix `<dash>-<device>`.
class RelayWorkload : public Workload {
public:
    /// `frame_size`: bytes on the wire per sent frame, header included; the value has at least
    /// 16 bytes.
    RelayWorkload(uint8_t command, proto::Layout layout, std::string prefix, size_t frame_size);
    void append_request(std::string& out, size_t stream, uint64_t seq, uint64_t sent_ns) override;
    bool release_on_ack() const override { return false; }

private:
    uint8_t command_;
    proto::Layout layout_;
    std::string prefix_;
    size_t value_size_;
};

/// BRIDGE writes `1\0vw\01\0<stamp>` (cmd 15) from the sender; the receiver gets
/// `vw\01\0<stamp>` (bridge) or the same frame back (echo-baseline).
class BridgeWorkload final : public RelayWorkload {
public:
    explicit BridgeWorkload(size_t frame_size);
};

/// HARDWARE `vw\0<pin>\0<stamp>` (cmd 20) cycling over `pins` pins, answered 200 by a server
/// with hardware.write.ack=true; remembers the last value written to every (stream, pin) so
/// that the database can be checked afterwards.
class WriteWorkload final : public Workload {
public:
    WriteWorkload(size_t streams, size_t pins, size_t frame_size);
    void append_request(std::string& out, size_t stream, uint64_t seq, uint64_t sent_ns) override;
    bool release_on_ack() const override { return true; }

    size_t pins() const { return pins_; }
    /// The last value sent to pin `pin` of `stream` ("" if never written).
    const std::string& last_value(size_t stream, size_t pin) const {
        return last_[stream * pins_ + pin];
    }

private:
    size_t pins_;
    size_t value_size_;
    std::vector<std::string> last_;
    std::vector<std::string> pin_names_;
};

/// `GET /<token>/update/V1?value=<stamp>` on a keep-alive HTTP/1.1 connection (released by the
/// 200 answer); the token's logged-in device receives HARDWARE id 111 `vw\01\0<stamp>`.
class RestWorkload final : public Workload {
public:
    explicit RestWorkload(std::vector<std::string> tokens);
    void append_request(std::string& out, size_t stream, uint64_t seq, uint64_t sent_ns) override;
    bool release_on_ack() const override { return true; }

private:
    std::vector<std::string> tokens_;
};

}  // namespace blynk::bench
