// Store: users brought in whole from elsewhere (blynkd import-java), with the tokens their
// boards already use.

#include "common/util/clock.hpp"
#include "server/store/statements.hpp"
#include "server/store/store.hpp"

namespace blynk::store {

void Store::import_user(const model::User& user, bool replace) {
    if (user.email.empty()) throw StoreError("user email must not be empty");
    const int64_t now = util::now_ms();
    Transaction tx(db_);
    if (user_exists(user.email)) {
        if (!replace) throw StoreError("user " + user.email + " already exists");
        StatementScope st(st_->delete_user);
        st->bind_text(1, user.email);
        st->run();
    }
    {
        StatementScope st(st_->insert_user);
        st->bind_text(1, user.email);
        st->bind_text(2, user.password_hash);
        st->bind_int(3, user.created_at_ms != 0 ? user.created_at_ms : now);
        st->bind_int(4, static_cast<int64_t>(user.password_kind));
        st->bind_int(5, user.admin ? 1 : 0);
        st->run();
    }
    for (const model::Dashboard& dash : user.dashboards) {
        insert_dashboard(user.email, dash);
        const int64_t pins_time = dash.updated_at_ms != 0 ? dash.updated_at_ms : now;
        for (const model::Device& device : dash.devices) {
            const std::string token = device.token.empty() ? unused_token() : device.token;
            if (auto owner = find_device_by_token(token)) {
                throw StoreError("the token of device " + std::to_string(device.id) +
                                 " of dashboard " + std::to_string(dash.id) +
                                 " is already used by device " + std::to_string(owner->device.id) +
                                 " of dashboard " + std::to_string(owner->dash_id) + " of " +
                                 owner->email);
            }
            {
                StatementScope st(st_->insert_device);
                bind_device_key(*st, user.email, dash.id, device.id);
                st->bind_text(4, device.name);
                st->bind_text(5, device.board_type);
                st->bind_text(6, token);
                st->bind_int(7, device.created_at_ms != 0 ? device.created_at_ms : now);
                st->bind_text(8, device.extra);
                st->run();
            }
            for (const auto& [pin, value] : device.pins) {
                StatementScope st(st_->upsert_pin);
                bind_device_key(*st, user.email, dash.id, device.id);
                st->bind_text(4, pin.str());
                st->bind_blob(5, value);
                st->bind_int(6, pins_time);
                st->run();
            }
            for (const auto& [key, value] : device.properties) {
                StatementScope st(st_->upsert_property);
                bind_device_key(*st, user.email, dash.id, device.id);
                st->bind_int(4, key.first);
                st->bind_text(5, key.second);
                st->bind_blob(6, value);
                st->run();
            }
        }
    }
    log_provision(kUserAdded, user.email, 0, 0, "", "");
    tx.commit();
    store_log()->info("user {} imported with {} dashboard(s)", user.email, user.dashboards.size());
}

}  // namespace blynk::store
