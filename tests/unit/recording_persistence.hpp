#pragma once
// A Persistence for hub unit tests: records what the hub hands to storage and answers every
// request at once (made-up tokens, no events).

#include <string>
#include <vector>

#include "server/hub/persistence.hpp"

namespace blynk::hub {

class RecordingPersistence final : public Persistence {
public:
    void pins_changed(const std::string&, std::vector<PinChange> changes) override {
        for (const auto& c : changes)
            pins.push_back(c.device.str() + " " + c.pin.str() + "=" + c.value);
        ++batches;
    }
    void property_changed(const std::string&, DeviceRef, uint8_t, const std::string& name,
                          const std::string& value) override {
        properties.push_back(name + "=" + value);
    }
    void device_seen(const std::string&, DeviceRef d, int64_t, bool online) override {
        seen.push_back(d.str() + (online ? " online" : " offline"));
    }
    void event_logged(const std::string&, DeviceRef, const model::DeviceEvent& e) override {
        events.push_back(e.name);
    }
    void dashboards_changed(const std::string&, std::vector<model::Dashboard> d) override {
        for (const auto& dash : d)
            dashboards.push_back(dash.id);
    }
    void put_push_token(const std::string&, model::PushToken) override {}
    void remove_push_tokens(const std::string&, std::string) override {}
    void add_user(const std::string&, std::string, model::PasswordKind, bool, Done done) override {
        done({});
    }
    void delete_user(const std::string&, Done done) override { done({}); }
    void create_dashboard(const std::string&, model::Dashboard dash,
                          DoneWith<model::Dashboard> done) override {
        done(std::move(dash), {});
    }
    void delete_dashboard(const std::string&, int, Done done) override { done({}); }
    void create_device(const std::string&, int, model::Device device,
                       DoneWith<model::Device> done) override {
        device.token = "made-" + std::to_string(device.id);
        done(std::move(device), {});
    }
    void update_device(const std::string&, int, model::Device, Done done) override { done({}); }
    void delete_device(const std::string&, DeviceRef, Done done) override { done({}); }
    void refresh_token(const std::string&, DeviceRef, DoneWith<std::string> done) override {
        done(std::string("refreshed"), {});
    }
    void automation_marked(const std::string&, model::AutomationMark, Done done) override {
        done({});
    }
    void device_events(const std::string&, DeviceRef, size_t,
                       DoneWith<std::vector<model::DeviceEvent>> done) override {
        done(std::vector<model::DeviceEvent>{}, {});
    }
    std::vector<int> dashboards;
    void history_recorded(const std::string&, std::vector<HistorySample> samples) override {
        for (const auto& s : samples)
            history_samples.push_back(s.device.str() + " " + s.pin.str() + "=" +
                                      std::to_string(s.value));
    }
    void history(const std::string&, DeviceRef, model::PinKey, model::HistoryQuery,
                 DoneWith<std::vector<model::HistoryPoint>> done) override {
        done(std::vector<model::HistoryPoint>{}, {});
    }
    void delete_history(const std::string&, DeviceRef, std::optional<model::PinKey>,
                        Done done) override {
        done({});
    }
    std::vector<std::string> pins, properties, seen, events, history_samples;
    int batches = 0;
};

}  // namespace blynk::hub
