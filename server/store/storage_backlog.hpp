#pragma once
// What the storage worker has not written yet: pin values, widget properties and last-seen times
// coalesced by key (the newest wins), device events in order, and dashboard snapshots. Not
// thread-safe: the worker guards it with its mutex. A batch is taken out whole for a flush and,
// when the flush fails, given back under the entries put meanwhile (those are newer).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "server/model/user.hpp"
#include "server/store/store.hpp"
#include "server/store/types.hpp"

namespace blynk::store {

namespace backlog_detail {

template <typename Tuple>
struct TupleHash {
    size_t operator()(const Tuple& t) const noexcept {
        return std::apply(
            [](const auto&... parts) {
                size_t h = 0;
                // boost::hash_combine's mixing step.
                ((h ^= std::hash<std::decay_t<decltype(parts)>>{}(parts) + 0x9e3779b97f4a7c15ULL +
                       (h << 6) + (h >> 2)),
                 ...);
                return h;
            },
            t);
    }
};

using DeviceKey = std::tuple<std::string, int, int>;
// The email is interned (StorageBacklog::emails): one copy per user, not per pin.
using PinSlot = std::tuple<const std::string*, int, int, model::PinKey>;
using PropertySlot = std::tuple<std::string, int, int, uint8_t, std::string>;
using DashboardSlot = std::tuple<std::string, int>;

struct PinValue {
    std::string value;
    int64_t time_ms = 0;
};

struct Seen {
    int64_t time_ms = 0;
    bool online = false;
};

}  // namespace backlog_detail

struct StorageBacklog {
    using PinSlot = backlog_detail::PinSlot;
    using PropertySlot = backlog_detail::PropertySlot;
    using DeviceKey = backlog_detail::DeviceKey;
    using DashboardSlot = backlog_detail::DashboardSlot;
    template <typename T>
    using Hash = backlog_detail::TupleHash<T>;

    std::unordered_set<std::string> emails;  ///< never shrinks: one per user that wrote a pin
    std::unordered_map<PinSlot, backlog_detail::PinValue, Hash<PinSlot>> pins;
    std::unordered_map<PropertySlot, std::string, Hash<PropertySlot>> properties;
    std::unordered_map<DeviceKey, backlog_detail::Seen, Hash<DeviceKey>> last_seen;
    std::deque<EventWrite> events;
    std::unordered_map<DashboardSlot, model::Dashboard, Hash<DashboardSlot>> dashboards;

    bool empty_values() const {
        return pins.empty() && properties.empty() && last_seen.empty() && events.empty();
    }
    bool empty_writes() const { return empty_values() && dashboards.empty(); }

    /// Puts a pin value; a new slot only when `full` is false. False when the value was dropped.
    bool put_pin(const std::string& email, PinUpdate u, bool full);
    /// Puts a widget property, like put_pin().
    bool put_property(PropertyWrite w, bool full);
    /// Keeps the newer report per device (on equal times the later one: a disconnect right after
    /// a login).
    void put_last_seen(LastSeenWrite w);
    void put_dashboards(const std::string& email, std::vector<model::Dashboard> dashboards);

    /// Moves the values (not the dashboards) out into `batch`, leaving them empty here.
    void take_values(StorageBacklog& batch);

    /// Writes `batch`'s values in one transaction (throws what Store throws).
    static void write_values(Store& store, const StorageBacklog& batch);
    /// Writes `batch`'s dashboards, one transaction per user as the app's edits come.
    static void write_dashboards(Store& store, const StorageBacklog& batch);

    /// Moves a failed batch's values back, under the ones put meanwhile (those are newer and
    /// win); events go first and beyond `max_events` the oldest are dropped. Returns how many
    /// events were dropped.
    uint64_t give_back_values(StorageBacklog& failed, size_t max_events);
    /// Moves a failed batch's dashboards back, under those put meanwhile.
    void give_back_dashboards(StorageBacklog& failed);
};

}  // namespace blynk::store
