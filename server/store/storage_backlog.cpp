#include "server/store/storage_backlog.hpp"

#include <iterator>
#include <utility>

namespace blynk::store {

namespace {

// Puts `value` in `slot`: a slot already waiting takes the newer value; a new one only when the
// backlog is not `full`. False when the value was dropped.
template <class Map, class Slot, class Value>
bool put_coalesced(Map& map, Slot&& slot, Value&& value, bool full) {
    if (!full) {
        map.insert_or_assign(std::forward<Slot>(slot), std::forward<Value>(value));
        return true;
    }
    auto it = map.find(slot);
    if (it == map.end()) return false;
    it->second = std::forward<Value>(value);
    return true;
}

}  // namespace

bool StorageBacklog::put_pin(const std::string& email, PinUpdate u, bool full) {
    const std::string* interned = &*emails.insert(email).first;
    return put_coalesced(pins, PinSlot{interned, u.dash_id, u.device_id, u.pin},
                         backlog_detail::PinValue{std::move(u.value), u.time_ms}, full);
}

bool StorageBacklog::put_property(PropertyWrite w, bool full) {
    return put_coalesced(
        properties,
        PropertySlot{std::move(w.email), w.dash_id, w.device_id, w.pin, std::move(w.name)},
        std::move(w.value), full);
}

void StorageBacklog::put_last_seen(LastSeenWrite w) {
    const backlog_detail::Seen seen{w.last_seen_ms, w.online};
    auto [it, inserted] =
        last_seen.try_emplace(DeviceKey{std::move(w.email), w.dash_id, w.device_id}, seen);
    if (!inserted && seen.time_ms >= it->second.time_ms) it->second = seen;
}

void StorageBacklog::put_dashboards(const std::string& email,
                                    std::vector<model::Dashboard> dashes) {
    for (model::Dashboard& d : dashes) {
        const int id = d.id;
        dashboards.insert_or_assign(DashboardSlot{email, id}, std::move(d));
    }
}

void StorageBacklog::take_values(StorageBacklog& batch) {
    std::swap(batch.pins, pins);
    std::swap(batch.properties, properties);
    std::swap(batch.last_seen, last_seen);
    std::swap(batch.events, events);
}

void StorageBacklog::write_values(Store& store, const StorageBacklog& batch) {
    std::vector<PinWrite> pin_writes;
    pin_writes.reserve(batch.pins.size());
    for (const auto& [slot, v] : batch.pins) {
        const auto& [email, dash_id, device_id, pin] = slot;
        pin_writes.push_back(PinWrite{*email, dash_id, device_id, pin, v.value, v.time_ms});
    }
    std::vector<PropertyWrite> property_writes;
    property_writes.reserve(batch.properties.size());
    for (const auto& [slot, value] : batch.properties) {
        const auto& [email, dash_id, device_id, pin, name] = slot;
        property_writes.push_back(PropertyWrite{email, dash_id, device_id, pin, name, value});
    }
    std::vector<LastSeenWrite> seen_writes;
    seen_writes.reserve(batch.last_seen.size());
    for (const auto& [key, seen] : batch.last_seen) {
        const auto& [email, dash_id, device_id] = key;
        seen_writes.push_back(LastSeenWrite{email, dash_id, device_id, seen.time_ms, seen.online});
    }
    const std::vector<EventWrite> event_writes(batch.events.begin(), batch.events.end());
    store.write_batch(pin_writes, property_writes, seen_writes, event_writes);
}

void StorageBacklog::write_dashboards(Store& store, const StorageBacklog& batch) {
    std::unordered_map<std::string, std::vector<model::Dashboard>> by_user;
    for (const auto& [slot, dash] : batch.dashboards)
        by_user[std::get<0>(slot)].push_back(dash);
    for (const auto& [email, dashes] : by_user)
        store.save_dashboards(email, dashes);
}

uint64_t StorageBacklog::give_back_values(StorageBacklog& failed, size_t max_events) {
    for (auto& [slot, v] : failed.pins)
        pins.try_emplace(slot, std::move(v));
    for (auto& [slot, v] : failed.properties)
        properties.try_emplace(slot, std::move(v));
    for (auto& [key, seen] : failed.last_seen) {
        auto [it, inserted] = last_seen.try_emplace(key, seen);
        if (!inserted && seen.time_ms > it->second.time_ms) it->second = seen;
    }
    // The failed events are older than those put meanwhile: they go first, and are the first
    // dropped when the bound is exceeded.
    events.insert(events.begin(), std::make_move_iterator(failed.events.begin()),
                  std::make_move_iterator(failed.events.end()));
    uint64_t dropped = 0;
    while (events.size() > max_events) {
        events.pop_front();
        ++dropped;
    }
    return dropped;
}

void StorageBacklog::give_back_dashboards(StorageBacklog& failed) {
    for (auto& [slot, dash] : failed.dashboards)
        dashboards.try_emplace(slot, std::move(dash));
}

}  // namespace blynk::store
