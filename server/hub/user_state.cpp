#include "server/hub/user_state.hpp"

#include <algorithm>

#include "common/proto/command.hpp"
#include "common/util/clock.hpp"

namespace blynk::hub {
namespace {

size_t changed_bit(model::PinKey pin) {
    switch (pin.type) {
        case model::PinType::Virtual:
            return pin.pin;
        case model::PinType::Digital:
            return 256u + pin.pin;
        case model::PinType::Analog:
            break;
    }
    return 512u + pin.pin;
}

}  // namespace

bool DeviceEntry::mark_changed(model::PinKey pin) {
    if (!changed_) changed_ = std::make_unique<std::bitset<3 * 256>>();
    const size_t bit = changed_bit(pin);
    if (changed_->test(bit)) return false;
    changed_->set(bit);
    return true;
}

void DeviceEntry::clear_changed(model::PinKey pin) {
    if (changed_) changed_->reset(changed_bit(pin));
}

void DirtyUsers::add(std::shared_ptr<UserState> user) {
    std::lock_guard lock(mutex_);
    users_.push_back(std::move(user));
}

std::vector<std::shared_ptr<UserState>> DirtyUsers::take() {
    std::lock_guard lock(mutex_);
    return std::exchange(users_, {});
}

UserState::UserState(std::string email, UserExecutor executor, Persistence& persistence,
                     DirtyUsers& dirty_users)
    : email_(std::move(email)),
      executor_(std::move(executor)),
      persistence_(persistence),
      dirty_users_(dirty_users) {}

void UserState::add_dashboard(int id, std::string name) {
    dashboards_[id] = std::move(name);
}

DeviceEntry& UserState::put_device(int dash_id, model::Device device) {
    dashboards_.try_emplace(dash_id, "Dashboard " + std::to_string(dash_id));
    DeviceRef ref{dash_id, device.id};
    auto& entry = devices_[ref];
    entry.device = std::move(device);
    return entry;
}

DeviceEntry* UserState::find(DeviceRef ref) {
    auto it = devices_.find(ref);
    return it == devices_.end() ? nullptr : &it->second;
}

void UserState::attach(DeviceRef ref, HardwareConnection& connection) {
    DeviceEntry* entry = find(ref);
    if (!entry) return;
    entry->connections.push_back(&connection);
    entry->device.last_seen_ms = util::now_ms();
    persistence_.device_seen(email_, ref, entry->device.last_seen_ms, true);
}

void UserState::detach(DeviceRef ref, HardwareConnection& connection) {
    DeviceEntry* entry = find(ref);
    if (!entry) return;
    std::erase(entry->connections, &connection);
    entry->device.last_seen_ms = util::now_ms();
    persistence_.device_seen(email_, ref, entry->device.last_seen_ms, entry->online());
    if (!entry->online()) {
        // The Java server announced offline on every close; only the last one is true.
        relay_buffer_ = ref.str();
        for (Peer* w : watchers_)
            w->send(proto::cmd::kDeviceOffline, 0, relay_buffer_);
    }
}

void UserState::add_watcher(Peer& peer) {
    watchers_.push_back(&peer);
}

void UserState::remove_watcher(Peer& peer) {
    std::erase(watchers_, &peer);
}

void UserState::store_pin(DeviceRef ref, model::PinKey pin, std::string_view value) {
    DeviceEntry* entry = find(ref);
    if (!entry) return;
    // Assigned in place: a pin written again reuses its string's capacity.
    entry->device.pins[pin].assign(value);
    if (!entry->mark_changed(pin)) return;  // already in this batch
    if (dirty_pins_.empty()) dirty_users_.add(shared_from_this());
    dirty_pins_.push_back({ref, pin});
}

void UserState::flush_pins() {
    if (dirty_pins_.empty()) return;
    std::vector<PinChange> changes;
    changes.reserve(dirty_pins_.size());
    const int64_t now = util::now_ms();
    for (const DirtyPin& d : dirty_pins_) {
        DeviceEntry* entry = find(d.device);
        if (!entry) continue;
        entry->clear_changed(d.pin);
        auto it = entry->device.pins.find(d.pin);
        if (it != entry->device.pins.end()) changes.push_back({d.device, d.pin, it->second, now});
    }
    dirty_pins_.clear();
    persistence_.pins_changed(email_, std::move(changes));
}

void UserState::store_property(DeviceRef ref, uint8_t pin, const std::string& name,
                               std::string value) {
    DeviceEntry* entry = find(ref);
    if (!entry) return;
    persistence_.property_changed(email_, ref, pin, name, value);
    entry->device.properties[{pin, name}] = std::move(value);
}

void UserState::log_event(DeviceRef ref, model::DeviceEvent event) {
    if (!find(ref)) return;
    persistence_.event_logged(email_, ref, event);
}

void UserState::relay_to_watchers(uint8_t command, uint16_t id, DeviceRef ref,
                                  std::string_view body) {
    if (watchers_.empty()) return;
    relay_buffer_ = ref.str();
    if (!body.empty()) {
        relay_buffer_.push_back('\0');
        relay_buffer_.append(body);
    }
    for (Peer* w : watchers_)
        w->send(command, id, relay_buffer_);
}

}  // namespace blynk::hub
