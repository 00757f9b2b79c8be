#include "server/http/api_notify.hpp"

#include <chrono>
#include <string>

#include "common/proto/status.hpp"
#include "server/hub/notify.hpp"
#include "server/hub/notify_widget.hpp"

namespace blynk::http {

ApiResponse notify_answer(hub::UserState& user, hub::DeviceRef device, std::string_view text) {
    switch (hub::ops::notify(user, device, text)) {
        case proto::status::kOk:
            return {};
        case proto::status::kNotificationInvalidBody:
            return text_error(400, "Body is empty or larger than 255 chars.");
        case proto::status::kNoActiveDashboard:
            return text_error(400, "Project is not active.");
        case proto::status::kQuotaLimit: {
            // Java had no limit here; blynkd applies the hardware's (one per device per interval).
            ApiResponse r = text_error(429, "Notification limit reached.");
            const auto wait =
                std::chrono::ceil<std::chrono::seconds>(user.notify_settings().interval);
            r.headers.emplace_back("Retry-After", std::to_string(wait.count()));
            return r;
        }
        default: {
            const model::Dashboard* dash = user.dashboard(device.dash_id);
            return text_error(400, dash && hub::notify_channels(*dash)
                                       ? "Notification widget not initialized."
                                       : "No notification widget.");
        }
    }
}

}  // namespace blynk::http
