#include "common/proto/ncp_blynk.hpp"

#include <charconv>

#include "common/proto/body.hpp"
#include "common/proto/command.hpp"
#include "common/proto/ncp_uids.hpp"
#include "common/proto/ncp_values.hpp"

namespace blynk::proto::ncp {
namespace {

/// Appends `value` as the next 00-separated field (the first without a separator).
void field(std::string& body, std::string_view value) {
    if (!body.empty()) body.push_back('\0');
    body.append(value);
}

/// Appends `value` after a separator even when the body is empty so far: a value may itself be
/// empty or hold 00s (multi-value), and it is always the last field.
void last_field(std::string& body, std::string_view value) {
    body.push_back('\0');
    body.append(value);
}

}  // namespace

std::optional<BoardFrame> board_frame_of(uint16_t uid, std::string_view args, Untranslated& why) {
    Reader in(args);
    BoardFrame frame;
    switch (uid) {
        case uid::kVirtualWrite: {
            const uint16_t pin = in.u16();
            const std::string_view value = in.binary();
            frame.command = cmd::kHardware;
            field(frame.body, "vw");
            field(frame.body, std::to_string(pin));
            last_field(frame.body, value);
            break;
        }
        case uid::kSyncAll:
            frame.command = cmd::kHardwareSync;
            break;
        case uid::kSyncVirtual:
            // The pins are decimal text separated by 00 (ncp.md §1.3): "vr" and the list.
            frame.command = cmd::kHardwareSync;
            field(frame.body, "vr");
            last_field(frame.body, in.binary());
            break;
        case uid::kSetProperty: {
            const uint16_t pin = in.u16();
            const std::string_view name = in.string();
            const std::string_view value = in.binary();
            frame.command = cmd::kSetWidgetProperty;
            field(frame.body, std::to_string(pin));
            field(frame.body, name);
            last_field(frame.body, value);
            break;
        }
        case uid::kLogEvent: {
            const std::string_view code = in.string();
            const std::string_view description = in.string();
            frame.command = cmd::kEventLog;
            frame.body.assign(code);
            if (!description.empty()) last_field(frame.body, description);
            break;
        }
        default:
            why = Untranslated::NotUsed;
            return std::nullopt;
    }
    if (!in.consumed_exactly()) {
        why = Untranslated::Malformed;
        return std::nullopt;
    }
    return frame;
}

std::optional<std::string> vpin_change_args(uint8_t command, std::string_view body) {
    if (command != cmd::kHardware) return std::nullopt;
    const auto f = split_n<3>(body);
    if (f.count != 3 || f.field[0] != "vw") return std::nullopt;
    uint16_t pin = 0;
    const std::string_view text = f.field[1];
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pin);
    if (error != std::errc() || end != text.data() + text.size() || text.empty() || pin > 255)
        return std::nullopt;
    std::string args;
    Writer(args).u16(pin).binary(f.field[2]);
    return args;
}

}  // namespace blynk::proto::ncp
