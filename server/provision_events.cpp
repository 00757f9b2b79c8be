#include "server/provision_events.hpp"

#include <spdlog/spdlog.h>

#include "common/util/token.hpp"

namespace blynk {

void apply_provision_events(store::StorageWorker& worker, hub::Hub& hub,
                            http::WebSessions& web_sessions,
                            std::vector<store::ProvisionEvent> events) {
    for (auto& e : events) {
        if (e.kind == store::kDeviceAdded) {
            worker.post([&hub, e](store::Store& db) {
                auto row = db.find_device_by_token(e.token);
                if (!row) return;  // already refreshed or removed again
                spdlog::info("provisioning: device {}-{} '{}' of {} added", row->dash_id,
                             row->device.id, row->device.name, row->email);
                hub.device_added(row->email, row->dash_id, std::move(row->device));
            });
        } else if (e.kind == store::kTokenRefreshed) {
            spdlog::info("provisioning: token of device {}-{} of {} refreshed ({} -> {})",
                         e.dash_id, e.device_id, e.email, util::redact_token(e.old_token),
                         util::redact_token(e.token));
            hub.token_refreshed(e.old_token, e.token);
        } else if (e.kind == store::kUserDeleted) {
            spdlog::info("provisioning: user {} deleted", e.email);
            web_sessions.revoke_user(e.email);
            hub.remove_user(e.email);
        } else if (e.kind == store::kAdminChanged) {
            worker.post([&hub, e](store::Store& db) {
                auto user = db.find_user(e.email);
                if (!user) return;
                spdlog::info("provisioning: {} is {} an administrator", e.email,
                             user->admin ? "now" : "no longer");
                hub.admin_changed(user->email, user->admin);
            });
        } else if (e.kind == store::kUserAdded || e.kind == store::kPasswordChanged) {
            worker.post([&hub, &web_sessions, e](store::Store& db) {
                auto user = db.find_user(e.email);
                if (!user) return;
                if (e.kind == store::kUserAdded) {
                    spdlog::info("provisioning: user {} added", e.email);
                    hub.add_user(user->email, user->password_hash, user->password_kind,
                                 user->admin);
                } else {
                    spdlog::info("provisioning: password of {} changed", e.email);
                    hub.password_changed(
                        user->email, user->password_hash, user->password_kind,
                        [&web_sessions, email = user->email] {
                            if (size_t n = web_sessions.revoke_user(email)) {
                                spdlog::info(
                                    "password of {} changed: {} console session(s) signed out",
                                    email, n);
                            }
                        });
                }
            });
        } else if (e.kind == store::kDeviceDeleted) {
            spdlog::info("provisioning: device {}-{} of {} deleted", e.dash_id, e.device_id,
                         e.email);
            hub.device_removed(e.token);
        }
    }
}

}  // namespace blynk
