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
        case cmd::kRegister:
            return "REGISTER";
        case cmd::kActivateDashboard:
            return "ACTIVATE_DASHBOARD";
        case cmd::kDeactivateDashboard:
            return "DEACTIVATE_DASHBOARD";
        case cmd::kRefreshToken:
            return "REFRESH_TOKEN";
        case cmd::kCreateDash:
            return "CREATE_DASH";
        case cmd::kUpdateDash:
            return "UPDATE_DASH";
        case cmd::kDeleteDash:
            return "DELETE_DASH";
        case cmd::kLoadProfileGzipped:
            return "LOAD_PROFILE_GZIPPED";
        case cmd::kAppSync:
            return "APP_SYNC";
        case cmd::kSharing:
            return "SHARING";
        case cmd::kAddPushToken:
            return "ADD_PUSH_TOKEN";
        case cmd::kExportGraphData:
            return "EXPORT_GRAPH_DATA";
        case cmd::kGetShareToken:
            return "GET_SHARE_TOKEN";
        case cmd::kRefreshShareToken:
            return "REFRESH_SHARE_TOKEN";
        case cmd::kShareLogin:
            return "SHARE_LOGIN";
        case cmd::kCreateWidget:
            return "CREATE_WIDGET";
        case cmd::kUpdateWidget:
            return "UPDATE_WIDGET";
        case cmd::kDeleteWidget:
            return "DELETE_WIDGET";
        case cmd::kGetEnergy:
            return "GET_ENERGY";
        case cmd::kAddEnergy:
            return "ADD_ENERGY";
        case cmd::kUpdateProjectSettings:
            return "UPDATE_PROJECT_SETTINGS";
        case cmd::kGetServer:
            return "GET_SERVER";
        case cmd::kCreateDevice:
            return "CREATE_DEVICE";
        case cmd::kUpdateDevice:
            return "UPDATE_DEVICE";
        case cmd::kDeleteDevice:
            return "DELETE_DEVICE";
        case cmd::kGetDevices:
            return "GET_DEVICES";
        case cmd::kMobileGetDevice:
            return "MOBILE_GET_DEVICE";
        case cmd::kLogout:
            return "LOGOUT";
        case cmd::kGetWidget:
            return "GET_WIDGET";
        case cmd::kResetPassword:
            return "RESET_PASSWORD";
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
