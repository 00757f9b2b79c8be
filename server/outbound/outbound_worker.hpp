#pragma once
// The outbound worker: one thread that sends mail (SMTP) and HTTP(S) requests with libcurl's
// multi interface, many at once, never on an I/O thread. Calls queue (bounded) and return at
// once. A mail that meets a 4xx answer or a lost connection is tried again later with a doubling
// delay; a failure is logged once, with the server's answer.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/util/log_throttle.hpp"
#include "server/hub/outbound.hpp"
#include "server/outbound/mail_settings.hpp"
#include "server/outbound/user_limits.hpp"

namespace blynk::outbound {

struct OutboundOptions {
    std::optional<MailSettings> mail;  ///< nullopt: mail is not configured
    size_t queue_limit = 2000;         ///< calls waiting (not yet being sent)
    std::chrono::milliseconds webhook_interval{1000};
    size_t http_answer_limit = 96 * 1024;  ///< bytes
};

/// Counters for /metrics; all since start.
struct OutboundStats {
    uint64_t mails_sent = 0, mails_failed = 0, mail_retries = 0;
    uint64_t http_calls = 0, http_failed = 0;
    uint64_t refused = 0;  ///< rate-limited or the queue full
};

class OutboundWorker final : public hub::Outbound {
public:
    explicit OutboundWorker(OutboundOptions options);
    /// stop().
    ~OutboundWorker() override;
    /// Stops the thread; what is still queued, waiting for a retry or in flight is dropped (an
    /// HTTP call's `done` never runs). Later calls are refused. Idempotent.
    void stop();
    OutboundWorker(const OutboundWorker&) = delete;
    OutboundWorker& operator=(const OutboundWorker&) = delete;

    hub::Accepted send_mail(const std::string& email, hub::MailMessage mail) override;
    hub::Accepted send_http(const std::string& email, hub::HttpCall call,
                            std::function<void(hub::HttpAnswer)> done) override;

    OutboundStats stats() const;

    struct Transfer;

private:
    hub::Accepted enqueue(std::unique_ptr<Transfer> t);
    void run();
    void start_ready(std::chrono::steady_clock::time_point now);
    void finished(Transfer* t, int curl_code);
    void mail_finished(std::unique_ptr<Transfer> t, int curl_code);

    OutboundOptions options_;
    UserLimits limits_;
    void* multi_ = nullptr;  // CURLM*, kept out of this header
    std::mutex mutex_;
    std::deque<std::unique_ptr<Transfer>> queue_;  // waiting to start (under mutex_)
    bool stopping_ = false;                        // under mutex_
    // Worker thread only:
    std::vector<std::unique_ptr<Transfer>> running_;
    std::vector<std::unique_ptr<Transfer>> retrying_;
    util::LogThrottle http_failure_log_{std::chrono::seconds(10)};
    std::atomic<uint64_t> mails_sent_{0}, mails_failed_{0}, mail_retries_{0}, http_calls_{0},
        http_failed_{0}, refused_{0};
    std::thread thread_;
};

}  // namespace blynk::outbound
