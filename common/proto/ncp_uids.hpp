#pragma once
// Blynk.NCP function UIDs, connection states and events (the driver's IDL 0.7.0). The "NCP side"
// is what an MCU calls on us (we stand in for the network co-processor); the "MCU side" is what
// we call on the MCU. An MCU never answers a UID it does not know: probe with kMcuHasUid first.

#include <cstdint>

namespace blynk::proto::ncp {

namespace uid {
// NCP side: system
inline constexpr uint16_t kNcpPing = 0x0101;    ///< status only; the MCU waits 100 ms
inline constexpr uint16_t kNcpReboot = 0x0102;  ///< → Bool
inline constexpr uint16_t kNcpHasUid = 0x0103;  ///< u16 uid → Bool
// NCP side: hardware of the co-processor
inline constexpr uint16_t kHwSetUartBaudRate = 0x0201;   ///< u32 baud → Bool
inline constexpr uint16_t kHwInitUserButton = 0x0211;    ///< u16 gpio, Bool active_low → Bool
inline constexpr uint16_t kHwInitLed = 0x0221;           ///< u16, Bool → Bool
inline constexpr uint16_t kHwInitRgb = 0x0222;           ///< u16, u16, u16, Bool → Bool
inline constexpr uint16_t kHwInitArgb = 0x0223;          ///< u16, u8, u8 → Bool
inline constexpr uint16_t kHwSetLedBrightness = 0x0224;  ///< u8 → Bool
inline constexpr uint16_t kHwGetWifiMac = 0x0231;        ///< → String, Bool
inline constexpr uint16_t kHwGetEthernetMac = 0x0232;    ///< → String, Bool
// NCP side: Blynk
inline constexpr uint16_t kInitialize = 0x0301;       ///< String template id, String name → Bool
inline constexpr uint16_t kSetVendorPrefix = 0x0302;  ///< String → Bool
inline constexpr uint16_t kSetVendorServer = 0x0303;  ///< String → Bool
inline constexpr uint16_t kSetFirmwareInfo = 0x0304;  ///< String type, version, build, blynk → Bool
inline constexpr uint16_t kGetNcpVersion = 0x0305;    ///< → String, Bool
inline constexpr uint16_t kGetState = 0x0306;         ///< → UInt8 (a state:: value)
inline constexpr uint16_t kGetHotspotName = 0x0307;  ///< → String, Bool
inline constexpr uint16_t kVirtualWrite = 0x0311;    ///< oneway: u16 vpin, Binary value
inline constexpr uint16_t kSyncAll = 0x0312;         ///< oneway
inline constexpr uint16_t kSyncVirtual =
    0x0313;  ///< oneway: Binary list of decimal pins, 00-separated
inline constexpr uint16_t kSetProperty = 0x0314;   ///< oneway: u16 vpin, String name, Binary value
inline constexpr uint16_t kBeginGroup = 0x0315;    ///< oneway: Int64 ms (0 = now)
inline constexpr uint16_t kEndGroup = 0x0316;      ///< oneway
inline constexpr uint16_t kLogEvent = 0x0317;      ///< oneway: String code, String description
inline constexpr uint16_t kResolveEvent = 0x0318;  ///< oneway: String code
inline constexpr uint16_t kResolveAllEvents = 0x0319;    ///< oneway: String code
inline constexpr uint16_t kSetMetadata = 0x031A;         ///< oneway: String field, String value
inline constexpr uint16_t kConfigStart = 0x0321;         ///< → Bool
inline constexpr uint16_t kConfigStop = 0x0322;          ///< → Bool
inline constexpr uint16_t kConfigReset = 0x0323;         ///< → Bool
inline constexpr uint16_t kIsConfigured = 0x0324;        ///< → Bool
inline constexpr uint16_t kSetConfigTimeout = 0x0325;    ///< u16 seconds → Bool
inline constexpr uint16_t kSetConfigSkipLimit = 0x0326;  ///< u8 → Bool
inline constexpr uint16_t kFactoryReset = 0x0331;
inline constexpr uint16_t kFactoryTestWifi = 0x0332;
inline constexpr uint16_t kFactoryTestWifiAp = 0x0333;
inline constexpr uint16_t kFactoryTestConnect = 0x033A;
inline constexpr uint16_t kOtaUpdateStart = 0x0341;  ///< u16 chunk size → Bool
inline constexpr uint16_t kOtaUpdateGetCrc32 = 0x0342;
inline constexpr uint16_t kOtaUpdateGetMd5 = 0x0343;
inline constexpr uint16_t kOtaUpdateGetSha256 = 0x0344;
inline constexpr uint16_t kOtaUpdatePrefetch = 0x0345;
inline constexpr uint16_t kOtaUpdateSuspend = 0x0346;
inline constexpr uint16_t kSetTime = 0x0351;  ///< Int64 ms → Bool
inline constexpr uint16_t kGetTime = 0x0352;  ///< → String iso8601, Int64 ms, Int16 offset min,
                                              ///< String tz abbreviation, UInt8 dst, Bool
inline constexpr uint16_t kGetLocationInfo = 0x0353;  ///< → String lat, lon, olson, posix tz, Bool

// MCU side: system
inline constexpr uint16_t kMcuPing = 0x0181;    ///< status only
inline constexpr uint16_t kMcuReboot = 0x0182;  ///< → Bool
inline constexpr uint16_t kMcuHasUid = 0x0183;  ///< u16 uid → Bool
// MCU side: client
inline constexpr uint16_t kClientStateChange = 0x0411;   ///< oneway: UInt8 state
inline constexpr uint16_t kClientVPinChange = 0x0412;    ///< oneway: u16 vpin, Binary value
inline constexpr uint16_t kClientProcessEvent = 0x0421;  ///< oneway: UInt8 event
inline constexpr uint16_t kClientOtaUpdateAvailable = 0x0441;
inline constexpr uint16_t kClientOtaUpdateWrite = 0x0442;
inline constexpr uint16_t kClientOtaUpdateFinish = 0x0443;
inline constexpr uint16_t kClientOtaUpdateCancel = 0x0444;
}  // namespace uid

/// Connection states (getState's answer, kClientStateChange's argument). The MCU's library
/// learns of a connection only from pushed changes: 4 then 5 after every initialize.
namespace state {
inline constexpr uint8_t kUnknown = 0;
inline constexpr uint8_t kIdle = 1;
inline constexpr uint8_t kConfig = 2;
inline constexpr uint8_t kConnectingNet = 3;
inline constexpr uint8_t kConnectingCloud = 4;
inline constexpr uint8_t kConnected = 5;
inline constexpr uint8_t kNotInitialized = 10;  ///< the MCU re-initialises on seeing it
inline constexpr uint8_t kOtaUpgrade = 11;
inline constexpr uint8_t kError = 12;
}  // namespace state

/// Events (kClientProcessEvent's argument).
namespace event {
inline constexpr uint8_t kNcpRebooting = 1;  ///< the MCU re-initialises at once
inline constexpr uint8_t kUserClick = 10;
inline constexpr uint8_t kUserDoubleClick = 11;
inline constexpr uint8_t kUserLongPress = 12;
inline constexpr uint8_t kUserLongRelease = 13;
inline constexpr uint8_t kConfigResetStart = 16;
inline constexpr uint8_t kConfigResetCancel = 17;
inline constexpr uint8_t kConfigResetDone = 18;
inline constexpr uint8_t kProvisioned = 20;  ///< each time the device is provisioned and connected
inline constexpr uint8_t kTimeSyncWanted = 21;
inline constexpr uint8_t kTimeChanged = 22;  ///< time or location changed: the MCU calls getTime
}  // namespace event

}  // namespace blynk::proto::ncp
