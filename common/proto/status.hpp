#pragma once
// Status codes carried in RESPONSE frames (the length field of command 0).

#include <cstdint>

namespace blynk::proto::status {

inline constexpr uint16_t kOk = 200;
inline constexpr uint16_t kQuotaLimit = 1;
inline constexpr uint16_t kIllegalCommand = 2;
inline constexpr uint16_t kUserNotRegistered = 3;
inline constexpr uint16_t kUserAlreadyRegistered = 4;  ///< also "already logged in"
inline constexpr uint16_t kUserNotAuthenticated = 5;
inline constexpr uint16_t kNotAllowed = 6;
inline constexpr uint16_t kDeviceNotInNetwork = 7;
inline constexpr uint16_t kNoActiveDashboard = 8;
inline constexpr uint16_t kInvalidToken = 9;
inline constexpr uint16_t kIllegalCommandBody = 11;
inline constexpr uint16_t kNotificationInvalidBody = 13;
inline constexpr uint16_t kNotificationNotAuthorized = 14;
inline constexpr uint16_t kNotificationError = 15;
inline constexpr uint16_t kNoData = 17;
inline constexpr uint16_t kServerError = 19;
inline constexpr uint16_t kEnergyLimit = 21;

}  // namespace blynk::proto::status
