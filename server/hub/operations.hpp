#pragma once
// Server-side operations on a user's state, written once and called by every front end that
// changes it: the REST API, the app protocol and (next) the web console. Each runs on the user's
// strand; storage answers come back to that strand.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/post.hpp>

#include "server/hub/hub.hpp"
#include "server/model/pin.hpp"

namespace blynk::hub::ops {

/// The message id of server-initiated writes (REST): the Java server used 111.
inline constexpr uint16_t kServerWriteId = 111;

/// Wraps `fn` so that calling the result (from any thread, e.g. the storage thread) runs `fn`
/// on `user`'s strand, with the user kept alive until then.
template <class... Args, class Fn>
std::function<void(Args...)> answer_on(const std::shared_ptr<UserState>& user, Fn fn) {
    return [user, fn = std::move(fn)](Args... args) mutable {
        boost::asio::post(user->executor(),
                          [user, fn = std::move(fn), ... args = std::move(args)]() mutable {
                              fn(std::move(args)...);
                          });
    };
}

/// A write from outside the device (REST, app): stored, sent as HARDWARE with `id` to every
/// connection of the device whose buff-in allows it, and relayed to the apps except `from`.
/// Returns how many connections of the device it was sent to.
size_t server_write(UserState& user, DeviceRef device, uint16_t id, model::PinKey pin,
                    std::string_view value, const AppConnection* from = nullptr);
/// The same for a body already in hardware form ("vw\05\0value"), `pin` and `value` parsed
/// from it.
size_t server_write_body(UserState& user, DeviceRef device, uint16_t id, std::string_view body,
                         model::PinKey pin, std::string_view value,
                         const AppConnection* from = nullptr);
/// Sends a write of `value` to `pin` to the device's connections only: not stored, not relayed,
/// no webhook (a webhook's answer, as the Java server's sendMessageToHardware).
void write_to_device(UserState& user, DeviceRef device, uint16_t id, model::PinKey pin,
                     std::string_view value);
/// A property set from outside the device: stored and relayed to the apps (never to the
/// device, which would drop the link on command 19).
void server_property(UserState& user, DeviceRef device, uint16_t id, uint8_t pin,
                     std::string_view name, const std::string& value);

/// `pm` for the device's digital and analog pins that widgets of its dashboard use, sent to
/// every connection of the device (after login and dashboard activation); nothing when the
/// dashboard is inactive or has no such widget.
void send_pin_modes(UserState& user, DeviceRef device);
/// `acon` (an app of the user connected) or `adis` (the last one left) to the devices of active
/// dashboards that asked for it (isAppConnectedOn).
void announce_app_presence(UserState& user, bool connected);

/// What a device's `rtc` (and REST /rtc) answers: the epoch seconds of the local time in the zone
/// of its dashboard's RTC widget, as the Java server did (the libraries set their clock from
/// it); UTC without one.
int64_t rtc_seconds(UserState& user, DeviceRef device);

/// The reading-widget poller's message id, as the Java server's.
inline constexpr uint16_t kReadingWidgetId = 7778;
/// Sends `vr\0<pin>` (`dr`, `ar`) with kReadingWidgetId to the device of every widget with a
/// reading frequency on an active dashboard whose interval has passed, so that sketches built on
/// BLYNK_READ keep working (server-surface.md §3.3).
void poll_reading_widgets(UserState& user, std::chrono::steady_clock::time_point now);

/// Creates a device in a dashboard: checked against the limits, committed, indexed; `done`
/// gets the stored device (with its token) or a status code and reason, on the user's strand.
using DeviceDone =
    std::function<void(const model::Device* device, uint16_t status, std::string_view error)>;
void create_device(Hub& hub, const std::shared_ptr<UserState>& user, int dash_id,
                   model::Device device, uint32_t devices_limit, DeviceDone done);
/// Deletes a device: its connections are closed, token and values dropped.
using StatusDone = std::function<void(uint16_t status, std::string_view error)>;
void delete_device(Hub& hub, const std::shared_ptr<UserState>& user, DeviceRef ref,
                   StatusDone done);
/// Gives a device a new token; connections on the old one are closed.
using TokenDone = std::function<void(const std::string* token, uint16_t status)>;
void refresh_token(Hub& hub, const std::shared_ptr<UserState>& user, DeviceRef ref, TokenDone done);
/// Deletes a dashboard with its devices.
void delete_dashboard(Hub& hub, const std::shared_ptr<UserState>& user, int dash_id,
                      StatusDone done);
/// Creates a dashboard with the devices it holds (each gets a fresh token).
void create_dashboard(Hub& hub, const std::shared_ptr<UserState>& user, model::Dashboard dash,
                      StatusDone done);

}  // namespace blynk::hub::ops
