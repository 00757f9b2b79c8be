#include "server/hub/user_state.hpp"

#include <algorithm>

#include "common/proto/command.hpp"
#include "common/util/clock.hpp"
#include "server/model/profile_json.hpp"

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
                     Outbound& outbound, DirtyUsers& dirty_users,
                     const std::atomic<bool>& history_all_pins,
                     const NotifySettings& notify_settings)
    : email_(std::move(email)),
      executor_(std::move(executor)),
      persistence_(persistence),
      outbound_(outbound),
      dirty_users_(dirty_users),
      notify_settings_(notify_settings),
      history_all_pins_(history_all_pins) {}

void UserState::set_password(std::string hash, model::PasswordKind kind) {
    password_hash_ = std::move(hash);
    password_kind_ = kind;
}

model::Dashboard& UserState::put_dashboard(model::Dashboard dash) {
    dash.devices.clear();
    automation_changed();
    const int id = dash.id;
    auto& slot = dashboards_[id];
    slot = std::move(dash);
    charted_.erase(id);
    return slot;
}

model::Dashboard* UserState::dashboard(int id) {
    auto it = dashboards_.find(id);
    return it == dashboards_.end() ? nullptr : &it->second;
}

void UserState::remove_dashboard(int id) {
    std::vector<DeviceRef> refs;
    for (const auto& [ref, entry] : devices_)
        if (ref.dash_id == id) refs.push_back(ref);
    for (DeviceRef ref : refs)
        remove_device(ref, "dashboard deleted");
    close_shared_sessions(id, "dashboard deleted");
    dashboards_.erase(id);
    charted_.erase(id);
    std::erase(dirty_dashboards_, id);
    automation_changed();
}

void UserState::automation_changed() {
    automation_.stale = true;
    automation_.scheduled.store(true, std::memory_order_relaxed);
}

void UserState::dashboard_changed(int id) {
    automation_changed();
    charted_.erase(id);  // its widgets may chart other pins now
    if (std::find(dirty_dashboards_.begin(), dirty_dashboards_.end(), id) !=
        dirty_dashboards_.end()) {
        return;
    }
    dirty_dashboards_.push_back(id);
    mark_dirty();
}

void UserState::mark_dirty() {
    if (in_dirty_list_) return;
    in_dirty_list_ = true;
    dirty_users_.add(shared_from_this());
}

DeviceEntry& UserState::put_device(int dash_id, model::Device device) {
    if (!dashboards_.contains(dash_id)) {
        model::Dashboard dash;
        dash.id = dash_id;
        dash.name = "Dashboard " + std::to_string(dash_id);
        dashboards_.emplace(dash_id, std::move(dash));
    }
    DeviceRef ref{dash_id, device.id};
    charted_.erase(dash_id);  // a chart's targetId may name this device
    auto& entry = devices_[ref];
    entry.device = std::move(device);
    return entry;
}

void UserState::remove_device(DeviceRef ref, std::string_view reason) {
    auto it = devices_.find(ref);
    if (it == devices_.end()) return;
    notify_limiter_.forget(ref);
    // close() only schedules the teardown, whose detach() then finds no device.
    for (HardwareConnection* c : it->second.connections) {
        c->state = HardwareConnection::State::Connected;
        c->user.reset();
        c->link.close(reason);
    }
    std::erase_if(dirty_pins_, [&](const DirtyPin& d) { return d.device == ref; });
    std::erase_if(history_, [&](const HistorySample& h) { return h.device == ref; });
    devices_.erase(it);
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
        // The Java server announced offline on every close; only the last one is true. Apps
        // hear of it for active dashboards that have notifications on (server-surface.md §3.4).
        const model::Dashboard* dash = dashboard(ref.dash_id);
        if (dash && dash->active && !dash->notifications_off)
            relay_to_apps_always(proto::cmd::kDeviceOffline, 0, ref, {});
        ops::notify_offline(*this, ref);
    }
}

void UserState::attach_app(AppConnection& app) {
    apps_.push_back(&app);
    app_count_.store(static_cast<uint32_t>(apps_.size()), std::memory_order_relaxed);
}

void UserState::detach_app(AppConnection& app) {
    std::erase(apps_, &app);
    app_count_.store(static_cast<uint32_t>(apps_.size()), std::memory_order_relaxed);
}

void UserState::send_to_apps(std::optional<int> dash_id, uint8_t command, uint16_t id,
                             std::string_view body, const AppConnection* except) {
    for (AppConnection* a : apps_)
        if (a != except && (!dash_id || a->sees(*dash_id))) a->link.send(command, id, body);
}

void UserState::close_shared_sessions(int dash_id, std::string_view reason) {
    for (AppConnection* a : apps_)
        if (a->shared_dash == dash_id) a->link.close_after_writes(reason);
}

void UserState::store_pin(DeviceRef ref, model::PinKey pin, std::string_view value) {
    DeviceEntry* entry = find(ref);
    if (!entry) return;
    // Assigned in place: a pin written again reuses its string's capacity.
    entry->device.pins[pin].assign(value);
    if (keeps_history(ref, pin)) {
        if (auto number = numeric_value(value)) {
            history_.push_back({ref, pin, *number, util::now_ms()});
            mark_dirty();
        }
    }
    if (!entry->mark_changed(pin)) return;  // already in this batch
    mark_dirty();
    dirty_pins_.push_back({ref, pin});
}

bool UserState::keeps_history(DeviceRef ref, model::PinKey pin) {
    if (history_all_pins_.load(std::memory_order_relaxed)) return true;
    auto it = charted_.find(ref.dash_id);
    if (it == charted_.end()) {
        const model::Dashboard* dash = dashboard(ref.dash_id);
        if (!dash) return false;
        std::vector<int> device_ids;
        for (const auto& [device, entry] : devices_)
            if (device.dash_id == ref.dash_id) device_ids.push_back(device.device_id);
        it = charted_.emplace(ref.dash_id, ChartedPins::of(*dash, device_ids)).first;
    }
    return it->second.contains(ref.device_id, pin);
}

void UserState::flush_pins() {
    in_dirty_list_ = false;
    if (!dirty_dashboards_.empty()) {
        std::vector<model::Dashboard> snapshots;
        for (int id : dirty_dashboards_)
            if (const model::Dashboard* d = dashboard(id)) snapshots.push_back(*d);
        dirty_dashboards_.clear();
        persistence_.dashboards_changed(email_, std::move(snapshots));
    }
    if (!history_.empty()) persistence_.history_recorded(email_, std::exchange(history_, {}));
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
    // Widgets on that virtual pin of the device take the property, as in the Java server; only
    // a property no widget takes is kept per pin.
    if (model::Dashboard* dash = dashboard(ref.dash_id)) {
        const model::PinKey key{model::PinType::Virtual, pin};
        bool taken = false;
        for (model::Widget& w : dash->widgets) {
            if (w.device_id != ref.device_id ||
                std::find(w.pins.begin(), w.pins.end(), key) == w.pins.end()) {
                continue;
            }
            std::string error;
            taken |= model::apply_widget_property(w, name, value, error);
        }
        if (taken) {
            dashboard_changed(ref.dash_id);
            return;
        }
    }
    persistence_.property_changed(email_, ref, pin, name, value);
    entry->device.properties[{pin, name}] = std::move(value);
}

void UserState::log_event(DeviceRef ref, model::DeviceEvent event) {
    if (!find(ref)) return;
    persistence_.event_logged(email_, ref, event);
}

void UserState::relay_to_apps(uint8_t command, uint16_t id, DeviceRef ref, std::string_view body) {
    if (apps_.empty()) return;
    const model::Dashboard* dash = dashboard(ref.dash_id);
    if (!dash || !dash->active) return;  // the Java server relayed only for active dashboards
    relay_to_apps_always(command, id, ref, body);
}

void UserState::relay_to_apps_always(uint8_t command, uint16_t id, DeviceRef ref,
                                     std::string_view body, const AppConnection* except) {
    if (apps_.empty()) return;
    relay_buffer_.clear();  // keeps its capacity: no allocation per relayed write
    ref.append_to(relay_buffer_);
    if (!body.empty()) {
        relay_buffer_.push_back('\0');
        relay_buffer_.append(body);
    }
    send_to_apps(ref.dash_id, command, id, relay_buffer_, except);
}

}  // namespace blynk::hub
