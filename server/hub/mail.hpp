#pragma once
// E-mail on behalf of a user: from a device (`email`), REST (`/{token}/email`) and the app (device
// tokens, chart exports). Each call queues on the outbound worker and answers at once, on the
// user's strand; the SMTP conversation and its retries happen later (server/outbound).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/hub/user_state.hpp"

namespace blynk::hub::mail {

/// A device's `email` (`<to>\0<subj>\0<body>` or `<subj>\0<body>`), as the Java server's
/// MailLogic: needs the dashboard's Mail widget and an active dashboard (else NOT_ALLOWED), whose
/// `to` wins over the device's; {DEVICE_NAME} and {DEVICE_OWNER_EMAIL} are replaced. Returns the
/// status the device is answered with: OK when queued, ILLEGAL_COMMAND for a bad body or
/// receiver, QUOTA_LIMIT beyond the user's daily mails, NOTIFICATION_ERROR when mail is off.
uint16_t from_device(UserState& user, DeviceRef device, std::string_view body);

/// REST `email`: text mail `subject`/`text` to `to` (the Mail widget must exist on the active
/// dashboard). Returns "" when queued or mail is off (logged; Java answered 200 and logged the
/// failure), else the 400 text.
std::string from_rest(UserState& user, DeviceRef device, const std::string& to,
                      const std::string& subject, const std::string& text);

/// The app's EMAIL (`dashId[\0deviceId]`): the device's token, or every token of the dashboard,
/// mailed to the user. Returns the status to answer.
uint16_t device_tokens(UserState& user, std::string_view body);

/// A link to one pin's CSV (EXPORT_GRAPH_DATA).
struct CsvLink {
    std::string label;  ///< "<device name> V5"
    std::string url;
};
/// Mails the chart-export links to the user (HTML, as Java's). Returns the status to answer.
uint16_t chart_links(UserState& user, const std::string& dashboard_name,
                     const std::vector<CsvLink>& links);

}  // namespace blynk::hub::mail
