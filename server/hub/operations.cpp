#include "server/hub/operations.hpp"

#include <algorithm>
#include <array>
#include <ctime>

#include <spdlog/spdlog.h>

#include "common/proto/command.hpp"
#include "common/proto/status.hpp"
#include "common/util/time_zone.hpp"
#include "server/hub/webhooks.hpp"

namespace blynk::hub::ops {
namespace {

std::string write_body(model::PinKey pin, std::string_view value) {
    std::string body(1, static_cast<char>(pin.type));
    body += 'w';
    body += '\0';
    body += std::to_string(pin.pin);
    body += '\0';
    body += value;
    return body;
}

// Widgets that only show a value: their pins are inputs of the board. Every other widget with a
// digital or analog pin drives it (the Java server's pin modes, sent as `pm`).
constexpr std::array<std::string_view, 11> kDisplayWidgets = {
    "LED",           "DIGIT4_DISPLAY",         "LABELED_VALUE_DISPLAY", "GAUGE",    "LCD",
    "LEVEL_DISPLAY", "VERTICAL_LEVEL_DISPLAY", "ENHANCED_GRAPH",        "TERMINAL", "VALUE_DISPLAY",
    "TABLE"};

bool is_display(std::string_view type) {
    return std::find(kDisplayWidgets.begin(), kDisplayWidgets.end(), type) != kDisplayWidgets.end();
}

void send_to_device(DeviceEntry& entry, uint8_t command, uint16_t id, std::string_view body) {
    for (HardwareConnection* c : entry.connections) {
        // A body over the device's buff-in would make its library drop the connection.
        if (body.size() <= c->max_forward_body) c->link.send(command, id, body);
    }
}

}  // namespace

size_t server_write_body(UserState& user, DeviceRef device, uint16_t id, std::string_view body,
                         model::PinKey pin, std::string_view value, const AppConnection* from) {
    DeviceEntry* entry = user.find(device);
    if (!entry) return 0;
    send_to_device(*entry, proto::cmd::kHardware, id, body);
    user.store_pin(device, pin, value);
    webhooks::pin_written(user, device, pin, value);
    if (from) {
        // The writing app's other sessions see the value as an APP_SYNC echo (server-surface.md
        // §5.3); the writing session already has it.
        user.relay_to_apps_always(proto::cmd::kAppSync, id, device, body, from);
    } else {
        user.relay_to_apps(proto::cmd::kHardware, id, device, body);
    }
    return entry->connections.size();
}

void write_to_device(UserState& user, DeviceRef device, uint16_t id, model::PinKey pin,
                     std::string_view value) {
    if (DeviceEntry* entry = user.find(device))
        send_to_device(*entry, proto::cmd::kHardware, id, write_body(pin, value));
}

size_t server_write(UserState& user, DeviceRef device, uint16_t id, model::PinKey pin,
                    std::string_view value, const AppConnection* from) {
    const std::string body = write_body(pin, value);
    return server_write_body(user, device, id, body, pin, value, from);
}

void server_property(UserState& user, DeviceRef device, uint16_t id, uint8_t pin,
                     std::string_view name, const std::string& value) {
    std::string body = std::to_string(pin);
    body += '\0';
    body += name;
    body += '\0';
    body += value;
    user.store_property(device, pin, std::string(name), value);
    user.relay_to_apps(proto::cmd::kSetWidgetProperty, id, device, body);
}

void send_pin_modes(UserState& user, DeviceRef device) {
    DeviceEntry* entry = user.find(device);
    const model::Dashboard* dash = user.dashboard(device.dash_id);
    if (!entry || !entry->online() || !dash || !dash->active) return;
    std::string body = "pm";
    bool any = false;
    for (const model::Widget& w : dash->widgets) {
        if (w.device_id != device.device_id) continue;
        for (model::PinKey pin : w.pins) {
            if (pin.type == model::PinType::Virtual) continue;  // never listed (hardware.md)
            body += '\0';
            body += std::to_string(pin.pin);
            body += '\0';
            body += is_display(w.type) ? "in" : "out";
            any = true;
        }
    }
    if (any) send_to_device(*entry, proto::cmd::kHardware, 1, body);
}

void announce_app_presence(UserState& user, bool connected) {
    const std::string_view body = connected ? "acon" : "adis";
    for (const auto& [ref, entry] : user.devices()) {
        const model::Dashboard* dash = user.dashboard(ref.dash_id);
        if (!dash || !dash->active || !dash->app_connected_on || !entry.online()) continue;
        send_to_device(*user.find(ref), proto::cmd::kInternal, 7777, body);
    }
}

int64_t rtc_seconds(UserState& user, DeviceRef device) {
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    const model::Dashboard* dash = user.dashboard(device.dash_id);
    if (!dash) return now;
    for (const model::Widget& w : dash->widgets) {
        if (w.type != "RTC" || w.time_zone.empty()) continue;
        if (auto offset = util::utc_offset(w.time_zone, now)) return now + *offset;
        spdlog::warn("rtc: unknown time zone {:?} in the RTC widget of {}; answering UTC",
                     w.time_zone, user.email());
        break;
    }
    return now;
}

void poll_reading_widgets(UserState& user, std::chrono::steady_clock::time_point now) {
    auto& due = user.reading_due();
    std::string body;
    for (const auto& [dash_id, dash] : user.dashboards()) {
        if (!dash.active) continue;
        for (const model::Widget& w : dash.widgets) {
            if (w.frequency_ms <= 0 || w.pins.empty()) continue;
            auto& next = due[{dash_id, w.id}];
            if (now < next) continue;
            next = now + std::chrono::milliseconds(w.frequency_ms);
            DeviceEntry* entry = user.find(DeviceRef{dash_id, w.device_id});
            if (!entry || !entry->online()) continue;
            const model::PinKey pin = w.pins.front();
            body.assign(1, static_cast<char>(pin.type));
            body += 'r';
            body += '\0';
            body += std::to_string(pin.pin);
            send_to_device(*entry, proto::cmd::kHardware, kReadingWidgetId, body);
        }
    }
}

void create_device(Hub& hub, const std::shared_ptr<UserState>& user, int dash_id,
                   model::Device device, uint32_t devices_limit, DeviceDone done) {
    if (!user->dashboard(dash_id)) return done(nullptr, proto::status::kIllegalCommand, "no dash");
    size_t count = 0;
    for (const auto& [ref, entry] : user->devices()) {
        if (ref.dash_id != dash_id) continue;
        ++count;
        if (ref.device_id == device.id) {
            return done(nullptr, proto::status::kNotAllowed, "device id already used");
        }
    }
    if (count >= devices_limit) {
        return done(nullptr, proto::status::kNotAllowed, "user.devices.limit reached");
    }
    hub.persistence().create_device(
        user->email(), dash_id, std::move(device),
        answer_on<std::optional<model::Device>, std::string>(
            user, [&hub, user, dash_id, done = std::move(done)](std::optional<model::Device> stored,
                                                                std::string error) {
                if (!stored) return done(nullptr, proto::status::kNotAllowed, error);
                hub.index_token(stored->token, user, DeviceRef{dash_id, stored->id});
                DeviceEntry& entry = user->put_device(dash_id, std::move(*stored));
                done(&entry.device, proto::status::kOk, {});
            }));
}

void delete_device(Hub& hub, const std::shared_ptr<UserState>& user, DeviceRef ref,
                   StatusDone done) {
    if (!user->find(ref)) return done(proto::status::kIllegalCommand, "no such device");
    hub.persistence().delete_device(
        user->email(), ref,
        answer_on<std::string>(user, [&hub, user, ref, done = std::move(done)](std::string error) {
            if (!error.empty()) return done(proto::status::kServerError, error);
            if (DeviceEntry* entry = user->find(ref)) hub.unindex_token(entry->device.token);
            user->remove_device(ref, "device deleted");
            done(proto::status::kOk, {});
        }));
}

void refresh_token(Hub& hub, const std::shared_ptr<UserState>& user, DeviceRef ref,
                   TokenDone done) {
    if (!user->find(ref)) return done(nullptr, proto::status::kIllegalCommand);
    hub.persistence().refresh_token(
        user->email(), ref,
        answer_on<std::optional<std::string>, std::string>(
            user, [&hub, user, ref, done = std::move(done)](std::optional<std::string> token,
                                                            std::string error) {
                DeviceEntry* entry = user->find(ref);
                if (!token || !entry) {
                    spdlog::warn("token refresh of {} for {} failed: {}", ref.str(), user->email(),
                                 error);
                    return done(nullptr, proto::status::kServerError);
                }
                hub.unindex_token(entry->device.token);
                hub.index_token(*token, user, ref);
                entry->device.token = *token;
                auto connections = entry->connections;
                for (HardwareConnection* c : connections)
                    c->link.close("token refreshed");
                done(&entry->device.token, proto::status::kOk);
            }));
}

void delete_dashboard(Hub& hub, const std::shared_ptr<UserState>& user, int dash_id,
                      StatusDone done) {
    if (!user->dashboard(dash_id)) return done(proto::status::kIllegalCommand, "no such dash");
    hub.persistence().delete_dashboard(
        user->email(), dash_id,
        answer_on<std::string>(user,
                               [&hub, user, dash_id, done = std::move(done)](std::string error) {
                                   if (!error.empty())
                                       return done(proto::status::kServerError, error);
                                   for (const auto& [ref, entry] : user->devices())
                                       if (ref.dash_id == dash_id)
                                           hub.unindex_token(entry.device.token);
                                   user->remove_dashboard(dash_id);
                                   done(proto::status::kOk, {});
                               }));
}

void create_dashboard(Hub& hub, const std::shared_ptr<UserState>& user, model::Dashboard dash,
                      StatusDone done) {
    hub.persistence().create_dashboard(
        user->email(), std::move(dash),
        answer_on<std::optional<model::Dashboard>, std::string>(
            user, [&hub, user, done = std::move(done)](std::optional<model::Dashboard> stored,
                                                       std::string error) {
                if (!stored) return done(proto::status::kNotAllowed, error);
                auto devices = std::move(stored->devices);
                const int dash_id = stored->id;
                user->put_dashboard(std::move(*stored));
                for (auto& device : devices) {
                    hub.index_token(device.token, user, DeviceRef{dash_id, device.id});
                    user->put_device(dash_id, std::move(device));
                }
                done(proto::status::kOk, {});
            }));
}

}  // namespace blynk::hub::ops
