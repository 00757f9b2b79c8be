#include "common/proto/command.hpp"

#include <array>
#include <string>

namespace blynk::proto {

std::string_view command_name(uint8_t command) {
    switch (command) {
        case cmd::kResponse:
            return "RESPONSE";
        case cmd::kLogin:
            return "LOGIN";
        case cmd::kHardwareConnected:
            return "HARDWARE_CONNECTED";
        case cmd::kPing:
            return "PING";
        case cmd::kTweet:
            return "TWEET";
        case cmd::kEmail:
            return "EMAIL";
        case cmd::kPushNotification:
            return "PUSH_NOTIFICATION";
        case cmd::kBridge:
            return "BRIDGE";
        case cmd::kHardwareSync:
            return "HARDWARE_SYNC";
        case cmd::kInternal:
            return "INTERNAL";
        case cmd::kSms:
            return "SMS";
        case cmd::kSetWidgetProperty:
            return "PROPERTY";
        case cmd::kHardware:
            return "HARDWARE";
        case cmd::kHardwareLogin:
            return "HARDWARE_LOGIN";
        case cmd::kConnectRedirect:
            return "CONNECT_REDIRECT";
        case cmd::kDebugPrint:
            return "DEBUG_PRINT";
        case cmd::kEventLog:
            return "EVENT_LOG";
        case cmd::kDeviceOffline:
            return "DEVICE_OFFLINE";
        default:
            break;
    }
    // Names for the remaining codes are built once; string_views into them stay valid.
    static const std::array<std::string, 256> kNumbered = [] {
        std::array<std::string, 256> names;
        for (size_t i = 0; i < names.size(); ++i)
            names[i] = "cmd " + std::to_string(i);
        return names;
    }();
    return kNumbered[command];
}

}  // namespace blynk::proto
