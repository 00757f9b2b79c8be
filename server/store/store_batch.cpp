// Store's write-behind batches (pin values, properties, last-seen times, events) and the
// start-up reset of online flags: the storage worker's side of Store.

#include <algorithm>
#include <tuple>

#include "server/store/postgres_arrays.hpp"
#include "server/store/statements.hpp"
#include "server/store/store.hpp"

namespace blynk::store {

size_t Store::mark_all_offline() {
    StatementScope st(st_->mark_all_offline);
    st->run();
    return static_cast<size_t>(db_.changes());
}

size_t Store::upsert_pin_arrays(const std::vector<const PinWrite*>& pins) {
    constexpr size_t kRowsPerStatement = 4096;
    size_t skipped = 0;
    for (size_t begin = 0; begin < pins.size(); begin += kRowsPerStatement) {
        const size_t end = std::min(pins.size(), begin + kRowsPerStatement);
        PgArrayLiteral emails, dashes, devices, keys, values, times;
        for (size_t i = begin; i < end; ++i) {
            const PinWrite& w = *pins[i];
            emails.add_text(w.email);
            dashes.add_int(w.dash_id);
            devices.add_int(w.device_id);
            keys.add_text(w.pin.str());
            values.add_bytes(w.value);
            times.add_int(w.time_ms);
        }
        StatementScope st(st_->upsert_pin);
        st->bind_text(1, emails.str());
        st->bind_text(2, dashes.str());
        st->bind_text(3, devices.str());
        st->bind_text(4, keys.str());
        st->bind_text(5, values.str());
        st->bind_text(6, times.str());
        st->run();
        skipped += (end - begin) - static_cast<size_t>(db_.changes());
    }
    return skipped;
}

void Store::write_batch(const std::vector<PinWrite>& pins,
                        const std::vector<PropertyWrite>& properties,
                        const std::vector<LastSeenWrite>& last_seen,
                        const std::vector<EventWrite>& events) {
    if (pins.empty() && properties.empty() && last_seen.empty() && events.empty()) return;
    // Rows go in primary-key order, so each b-tree page is visited once and in order: in hash
    // order a batch larger than the page cache committed about 3x slower.
    std::vector<const PinWrite*> ordered_pins;
    ordered_pins.reserve(pins.size());
    for (const PinWrite& w : pins)
        ordered_pins.push_back(&w);
    const auto key = [](const PinWrite* w) {
        return std::tie(w->email, w->dash_id, w->device_id, w->pin);
    };
    // Stable: of several writes to one pin, the last given stays last and wins.
    std::stable_sort(ordered_pins.begin(), ordered_pins.end(),
                     [&](const PinWrite* a, const PinWrite* b) { return key(a) < key(b); });
    // Values are written behind anyway: a power cut may take the last batches (they are
    // synced at the next checkpoint or provisioning commit), a crash never does.
    const SynchronousNormal relaxed(db_);
    Transaction tx(db_);
    size_t skipped = 0;
    if (db_.dialect() == Dialect::Postgres) {
        // One row per pin (an upsert cannot touch a row twice in one statement): the last.
        auto last =
            std::unique(ordered_pins.rbegin(), ordered_pins.rend(),
                        [&](const PinWrite* a, const PinWrite* b) { return key(a) == key(b); });
        ordered_pins.erase(ordered_pins.begin(), last.base());
        skipped += upsert_pin_arrays(ordered_pins);
    } else {
        for (const PinWrite* pin : ordered_pins) {
            const PinWrite& w = *pin;
            StatementScope st(st_->upsert_pin);
            bind_device_key(*st, w.email, w.dash_id, w.device_id);
            st->bind_text(4, w.pin.str());
            st->bind_blob(5, w.value);
            st->bind_int(6, w.time_ms);
            if (!st->run_unless_orphan()) ++skipped;
        }
    }
    for (const PropertyWrite& w : properties) {
        StatementScope st(st_->upsert_property);
        bind_device_key(*st, w.email, w.dash_id, w.device_id);
        st->bind_int(4, w.pin);
        st->bind_text(5, w.name);
        st->bind_blob(6, w.value);
        st->run();
        if (db_.changes() == 0) ++skipped;
    }
    for (const LastSeenWrite& w : last_seen) {
        StatementScope st(st_->update_last_seen);
        bind_device_key(*st, w.email, w.dash_id, w.device_id);
        st->bind_int(4, w.last_seen_ms);
        st->bind_int(5, w.online ? 1 : 0);
        st->run();
        if (db_.changes() == 0) ++skipped;
    }
    for (const EventWrite& w : events) {
        StatementScope st(st_->insert_event);
        bind_device_key(*st, w.email, w.dash_id, w.device_id);
        st->bind_text(4, w.event.name);
        st->bind_text(5, w.event.description);
        st->bind_int(6, w.event.time_ms);
        st->run();
        if (db_.changes() == 0) ++skipped;
    }
    tx.commit();
    if (skipped > 0) {
        store_log()->debug("write batch: skipped {} writes for devices that no longer exist",
                           skipped);
    }
}

}  // namespace blynk::store
