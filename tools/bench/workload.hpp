#pragma once
// What a scenario sends and how its answers are recognised. The load engine is generic over
// this: echo, bridge, fanout and app-write release a stream's window when the message arrives at
// its receivers, write and rest when the sender gets its answer (200).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace blynk::bench {

/// What a connection speaks: Blynk frames with the hardware (5-byte) or app (7-byte) header, or
/// HTTP/1.1 (a REST client).
enum class Wire : uint8_t { Hardware, App, Http };

/// One message cut from a connection's input.
struct Parsed {
    enum class Kind {
        NeedMore,  ///< incomplete: wait for more bytes
        Ack,       ///< a success answer to the sender (200)
        Delivery,  ///< a message carrying a send timestamp, at its receiver
        Error,     ///< a failure answer (status != 200, HTTP != 200)
        Other,     ///< anything else; ignored
        Broken,    ///< unparseable stream: the connection is dropped
    } kind = Kind::NeedMore;
    size_t consumed = 0;
    uint64_t sent_ns = 0;  ///< Delivery: the timestamp from the body
    uint32_t code = 0;     ///< Error: Blynk status or HTTP status
};

/// Cuts the first message from `in` as `wire` says (messages.cpp): Blynk frames whose last NUL
/// field is a stamp are deliveries, RESPONSE 200 / HTTP 200 acks, other answers errors.
Parsed parse_message(std::string_view in, Wire wire);

class Workload {
public:
    virtual ~Workload() = default;
    /// Appends message `seq` of `stream`, carrying `sent_ns`, to the sender's output.
    virtual void append_request(std::string& out, size_t stream, uint64_t seq,
                                uint64_t sent_ns) = 0;
    /// Cuts the first message from a connection's input.
    virtual Parsed parse(std::string_view in, Wire wire) const { return parse_message(in, wire); }
    /// True when the sender's answers (Ack) free the window; false when deliveries do.
    virtual bool release_on_ack() const = 0;
};

}  // namespace blynk::bench
