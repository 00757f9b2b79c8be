#pragma once
// Blynk command codes (first header byte). Names follow the Java server; where the hardware
// libraries use a code differently (55 DEBUG_PRINT, 64 EVENT_LOG) the library meaning is used.

#include <cstdint>
#include <string_view>

namespace blynk::proto {

namespace cmd {
inline constexpr uint8_t kResponse = 0;
inline constexpr uint8_t kRegister = 1;
inline constexpr uint8_t kLogin = 2;
inline constexpr uint8_t kHardwareConnected = 4;
inline constexpr uint8_t kPing = 6;
inline constexpr uint8_t kActivateDashboard = 7;
inline constexpr uint8_t kDeactivateDashboard = 8;
inline constexpr uint8_t kRefreshToken = 9;
inline constexpr uint8_t kTweet = 12;
inline constexpr uint8_t kEmail = 13;
inline constexpr uint8_t kPushNotification = 14;
inline constexpr uint8_t kBridge = 15;
inline constexpr uint8_t kHardwareSync = 16;
inline constexpr uint8_t kInternal = 17;
inline constexpr uint8_t kSms = 18;
inline constexpr uint8_t kSetWidgetProperty = 19;
inline constexpr uint8_t kHardware = 20;
inline constexpr uint8_t kCreateDash = 21;
inline constexpr uint8_t kUpdateDash = 22;
inline constexpr uint8_t kDeleteDash = 23;
inline constexpr uint8_t kLoadProfileGzipped = 24;
inline constexpr uint8_t kAppSync = 25;
inline constexpr uint8_t kSharing = 26;
inline constexpr uint8_t kAddPushToken = 27;
inline constexpr uint8_t kExportGraphData = 28;
inline constexpr uint8_t kHardwareLogin = 29;
inline constexpr uint8_t kGetShareToken = 30;
inline constexpr uint8_t kRefreshShareToken = 31;
inline constexpr uint8_t kShareLogin = 32;
inline constexpr uint8_t kCreateWidget = 33;
inline constexpr uint8_t kUpdateWidget = 34;
inline constexpr uint8_t kDeleteWidget = 35;
inline constexpr uint8_t kGetEnergy = 36;
inline constexpr uint8_t kAddEnergy = 37;
inline constexpr uint8_t kUpdateProjectSettings = 38;
inline constexpr uint8_t kGetServer = 40;
inline constexpr uint8_t kConnectRedirect = 41;
inline constexpr uint8_t kCreateDevice = 42;
inline constexpr uint8_t kUpdateDevice = 43;
inline constexpr uint8_t kDeleteDevice = 44;
inline constexpr uint8_t kGetDevices = 45;
inline constexpr uint8_t kMobileGetDevice = 50;
inline constexpr uint8_t kDebugPrint = 55;
inline constexpr uint8_t kEventLog = 64;
inline constexpr uint8_t kLogout = 66;
inline constexpr uint8_t kGetWidget = 70;
inline constexpr uint8_t kDeviceOffline = 71;
inline constexpr uint8_t kResetPassword = 81;
/// Command bytes at or above this are not Blynk: the connection is closed.
inline constexpr uint8_t kFirstInvalid = 100;
}  // namespace cmd

/// Readable name for logs ("HARDWARE", "PING", "cmd 42").
std::string_view command_name(uint8_t command);

}  // namespace blynk::proto
