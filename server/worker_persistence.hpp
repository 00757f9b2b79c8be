#pragma once
// The hub's Persistence over the storage worker: write-behind changes are queued or posted to the
// storage thread; provisioning runs there as a task and answers with its outcome.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "server/hub/persistence.hpp"
#include "server/store/storage_worker.hpp"

namespace blynk {

/// Hands the hub's lasting changes to the storage worker (which coalesces and batches them).
class WorkerPersistence final : public hub::Persistence {
public:
    explicit WorkerPersistence(store::StorageWorker& worker) : worker_(worker) {}

    void pins_changed(const std::string& email, std::vector<hub::PinChange> changes) override {
        std::vector<store::PinUpdate> batch;
        batch.reserve(changes.size());
        for (auto& c : changes) {
            batch.push_back(store::PinUpdate{c.device.dash_id, c.device.device_id, c.pin,
                                             std::move(c.value), c.time_ms});
        }
        worker_.put_pins(email, std::move(batch));
    }
    void property_changed(const std::string& email, hub::DeviceRef d, uint8_t pin,
                          const std::string& name, const std::string& value) override {
        worker_.put_property(store::PropertyWrite{email, d.dash_id, d.device_id, pin, name, value});
    }
    void device_seen(const std::string& email, hub::DeviceRef d, int64_t time_ms,
                     bool online) override {
        worker_.put_last_seen(store::LastSeenWrite{email, d.dash_id, d.device_id, time_ms, online});
    }
    void event_logged(const std::string& email, hub::DeviceRef d,
                      const model::DeviceEvent& event) override {
        worker_.put_event(store::EventWrite{email, d.dash_id, d.device_id, event});
    }
    void history_recorded(const std::string& email,
                          std::vector<hub::HistorySample> samples) override {
        std::vector<store::HistoryUpdate> points;
        points.reserve(samples.size());
        for (const hub::HistorySample& s : samples) {
            points.push_back(store::HistoryUpdate{s.device.dash_id, s.device.device_id, s.pin,
                                                  s.value, s.time_ms});
        }
        worker_.put_history(email, std::move(points));
    }
    void dashboards_changed(const std::string& email,
                            std::vector<model::Dashboard> dashboards) override {
        worker_.put_dashboards(email, std::move(dashboards));
    }
    void put_push_token(const std::string& email, model::PushToken token) override {
        run([email,
             token = std::move(token)](store::Store& db) { db.put_push_token(email, token); },
            [](const std::string& error) {
                spdlog::error("storage: push token not saved: {}", error);
            });
    }
    void remove_push_tokens(const std::string& email, std::string uid) override {
        run([email, uid = std::move(uid)](store::Store& db) { db.remove_push_tokens(email, uid); },
            [](const std::string& error) {
                spdlog::error("storage: push tokens not removed: {}", error);
            });
    }
    void add_user(const std::string& email, std::string password_hash, model::PasswordKind kind,
                  bool admin, hub::Done done) override {
        answer([email, password_hash = std::move(password_hash), kind,
                admin](store::Store& db) { db.add_user(email, password_hash, kind, admin); },
               std::move(done));
    }
    void delete_user(const std::string& email, hub::Done done) override {
        answer(
            [email](store::Store& db) {
                if (!db.delete_user(email)) throw store::StoreError("no such user");
            },
            std::move(done));
    }
    void create_dashboard(const std::string& email, model::Dashboard dash,
                          hub::DoneWith<model::Dashboard> done) override {
        answer_with<model::Dashboard>(
            [this, email, dash = std::move(dash)](store::Store& db) {
                return db.create_dashboard(email, dash, limits_.dashboards, limits_.devices);
            },
            std::move(done));
    }
    void delete_dashboard(const std::string& email, int dash_id, hub::Done done) override {
        answer([email, dash_id](store::Store& db) { db.delete_dashboard(email, dash_id); },
               std::move(done));
    }
    void create_device(const std::string& email, int dash_id, model::Device device,
                       hub::DoneWith<model::Device> done) override {
        answer_with<model::Device>(
            [this, email, dash_id, device = std::move(device)](store::Store& db) {
                return db.create_device(email, dash_id, device, limits_.devices);
            },
            std::move(done));
    }
    void update_device(const std::string& email, int dash_id, model::Device device,
                       hub::Done done) override {
        answer(
            [email, dash_id, device = std::move(device)](store::Store& db) {
                if (!db.update_device(email, dash_id, device))
                    throw store::StoreError("no such device");
            },
            std::move(done));
    }
    void delete_device(const std::string& email, hub::DeviceRef d, hub::Done done) override {
        answer(
            [email, d](store::Store& db) {
                if (!db.delete_device(email, d.dash_id, d.device_id))
                    throw store::StoreError("no such device");
            },
            std::move(done));
    }
    void refresh_token(const std::string& email, hub::DeviceRef d,
                       hub::DoneWith<std::string> done) override {
        answer_with<std::string>(
            [email, d](store::Store& db) {
                auto token = db.refresh_device_token(email, d.dash_id, d.device_id);
                if (!token) throw store::StoreError("no such device");
                return *token;
            },
            std::move(done));
    }
    void automation_marked(const std::string& email, model::AutomationMark mark,
                           hub::Done done) override {
        answer([email,
                mark = std::move(mark)](store::Store& db) { db.put_automation_mark(email, mark); },
               std::move(done));
    }

    void device_events(const std::string& email, hub::DeviceRef d, size_t limit,
                       hub::DoneWith<std::vector<model::DeviceEvent>> done) override {
        answer_with<std::vector<model::DeviceEvent>>(
            [email, d, limit](store::Store& db) {
                return db.device_events(email, d.dash_id, d.device_id, limit);
            },
            std::move(done));
    }

    void history(const std::string& email, hub::DeviceRef d, model::PinKey pin,
                 model::HistoryQuery query,
                 hub::DoneWith<std::vector<model::HistoryPoint>> done) override {
        answer_with<std::vector<model::HistoryPoint>>(
            [email, d, pin, query](store::Store& db) {
                return db.history().query(email, d.dash_id, d.device_id, pin, query);
            },
            std::move(done));
    }
    void delete_history(const std::string& email, hub::DeviceRef d,
                        std::optional<model::PinKey> pin, hub::Done done) override {
        answer(
            [email, d, pin](store::Store& db) {
                db.history().delete_series(email, d.dash_id, d.device_id, pin);
            },
            std::move(done));
    }

    struct Limits {
        uint32_t dashboards = 0;
        uint32_t devices = 0;
    };
    void set_limits(Limits limits) { limits_ = limits; }

private:
    /// Runs `task` on the storage thread; `failed` gets the error if it throws or cannot queue.
    template <class Task, class Failed>
    void run(Task task, Failed failed) {
        const bool queued = worker_.post([task = std::move(task), failed](store::Store& db) {
            try {
                task(db);
            } catch (const std::exception& e) {
                failed(e.what());
            }
        });
        if (!queued) failed("the storage queue is full");
    }

    /// Runs `task` and answers `done` with "" or the error.
    template <class Task>
    void answer(Task task, hub::Done done) {
        auto shared = std::make_shared<hub::Done>(std::move(done));
        run(
            [task = std::move(task), shared](store::Store& db) {
                task(db);
                (*shared)(std::string());
            },
            [shared](const std::string& error) { (*shared)(error); });
    }

    /// Runs `task` and answers `done` with its result or the error.
    template <class T, class Task>
    void answer_with(Task task, hub::DoneWith<T> done) {
        auto shared = std::make_shared<hub::DoneWith<T>>(std::move(done));
        run(
            [task = std::move(task), shared](store::Store& db) {
                T result = task(db);
                (*shared)(std::move(result), std::string());
            },
            [shared](const std::string& error) { (*shared)(std::nullopt, error); });
    }

    store::StorageWorker& worker_;
    Limits limits_;
};

}  // namespace blynk
