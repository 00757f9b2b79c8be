#include "tools/bench/messages.hpp"

#include <strings.h>

#include <charconv>

namespace blynk::bench {

namespace {

constexpr size_t kStampDigits = 16;
constexpr size_t kMaxHttpHeader = 16 * 1024;

}  // namespace

void append_stamp(std::string& out, uint64_t sent_ns, size_t size) {
    static constexpr char kHex[] = "0123456789abcdef";
    char digits[kStampDigits];
    for (size_t i = 0; i < kStampDigits; ++i)
        digits[kStampDigits - 1 - i] = kHex[(sent_ns >> (4 * i)) & 0xf];
    out.append(digits, kStampDigits);
    if (size > kStampDigits) out.append(size - kStampDigits, '.');
}

bool parse_stamp(std::string_view value, uint64_t& sent_ns) {
    if (value.size() < kStampDigits) return false;
    auto r = std::from_chars(value.data(), value.data() + kStampDigits, sent_ns, 16);
    return r.ec == std::errc() && r.ptr == value.data() + kStampDigits;
}

Parsed parse_blynk(std::string_view in, proto::Layout layout) {
    Parsed p;
    // The app layout's u32 length would allow any size; nothing the bench receives is near this.
    constexpr uint32_t kMaxBody = 1 << 24;
    const auto r = proto::decode(std::span(reinterpret_cast<const uint8_t*>(in.data()), in.size()),
                                 proto::DecodeLimits{layout, kMaxBody});
    if (r.kind == proto::DecodeResult::Kind::NeedMore) return p;
    if (r.kind == proto::DecodeResult::Kind::Error) {
        p.kind = Parsed::Kind::Broken;
        return p;
    }
    p.consumed = r.consumed;
    if (r.frame.command == 0) {
        p.code = r.frame.status;
        p.kind = r.frame.status == 200 ? Parsed::Kind::Ack : Parsed::Kind::Error;
        return p;
    }
    const std::string_view body = r.frame.body;
    const size_t nul = body.rfind('\0');
    const std::string_view last = nul == std::string_view::npos ? body : body.substr(nul + 1);
    p.kind = parse_stamp(last, p.sent_ns) ? Parsed::Kind::Delivery : Parsed::Kind::Other;
    return p;
}

Parsed parse_http(std::string_view in) {
    Parsed p;
    const size_t end = in.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (in.size() > kMaxHttpHeader) p.kind = Parsed::Kind::Broken;
        return p;
    }
    const std::string_view head = in.substr(0, end);
    unsigned status = 0;
    if (head.size() < 12 || head.substr(0, 5) != "HTTP/" ||
        std::from_chars(head.data() + 9, head.data() + 12, status).ec != std::errc()) {
        p.kind = Parsed::Kind::Broken;
        return p;
    }
    size_t length = 0;
    for (size_t pos = head.find("\r\n"); pos != std::string_view::npos;
         pos = head.find("\r\n", pos + 2)) {
        const std::string_view line = head.substr(pos + 2, head.find("\r\n", pos + 2) - pos - 2);
        constexpr std::string_view kName = "content-length:";
        if (line.size() > kName.size() &&
            ::strncasecmp(line.data(), kName.data(), kName.size()) == 0) {
            std::string_view v = line.substr(kName.size());
            while (!v.empty() && v.front() == ' ')
                v.remove_prefix(1);
            std::from_chars(v.data(), v.data() + v.size(), length);
        }
    }
    if (in.size() < end + 4 + length) return p;
    p.consumed = end + 4 + length;
    p.code = status;
    p.kind = status == 200 ? Parsed::Kind::Ack : Parsed::Kind::Error;
    return p;
}

Parsed parse_message(std::string_view in, Wire wire) {
    switch (wire) {
        case Wire::Hardware:
            return parse_blynk(in, proto::Layout::Hardware);
        case Wire::App:
            return parse_blynk(in, proto::Layout::App);
        case Wire::Http:
            return parse_http(in);
    }
    return Parsed{Parsed::Kind::Broken};
}

void append_frame(std::string& out, uint8_t command, uint16_t id,
                  std::initializer_list<std::string_view> fields, proto::Layout layout) {
    thread_local std::string body;  // reused: no allocation per message once warm
    body.clear();
    bool first = true;
    for (std::string_view f : fields) {
        if (!first) body.push_back('\0');
        body.append(f);
        first = false;
    }
    proto::encode(out, layout, command, id, body);
}

}  // namespace blynk::bench
