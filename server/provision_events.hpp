#pragma once
// Provisioning done by another process (the CLI writes provision_log; the storage worker notices
// it) applied to the running hub: new users and devices, refreshed tokens, deletions, password
// and administrator changes. Rows are read on the storage thread, the hub is told from there.

#include <vector>

#include "server/http/web_sessions.hpp"
#include "server/hub/hub.hpp"
#include "server/store/storage_worker.hpp"

namespace blynk {

void apply_provision_events(store::StorageWorker& worker, hub::Hub& hub,
                            http::WebSessions& web_sessions,
                            std::vector<store::ProvisionEvent> events);

}  // namespace blynk
