#pragma once
// Messages leaving the server (e-mail, HTTP). Implemented by server/outbound over one worker
// thread; calls queue and never block an I/O thread. The hub holds one (Hub::outbound(), and
// UserState::outbound() on a user's strand), given to Hub at construction like Persistence.

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace blynk::hub {

struct MailMessage {
    std::string to, subject, body;
    bool html = false;
};

struct HttpCall {
    std::string method = "GET", url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

/// `error` is set on a transport failure (no connection, TLS, timeout, answer too large); then
/// `status` is 0.
struct HttpAnswer {
    int status = 0;
    std::string body;
    std::string error;
};

enum class Accepted : uint8_t {
    Queued,
    NotConfigured,  ///< mail: no SMTP server set up (mail.properties)
    RateLimited,    ///< the user's per-second limit, or the queue is full
    Invalid,        ///< an address or URL that cannot be sent to
};

class Outbound {
public:
    virtual ~Outbound() = default;
    /// Queues a mail on behalf of user `email` (the per-user limit applies).
    virtual Accepted send_mail(const std::string& email, MailMessage mail) = 0;
    /// Queues an HTTP(S) request; `done` runs on the worker thread (post it to your strand).
    virtual Accepted send_http(const std::string& email, HttpCall call,
                               std::function<void(HttpAnswer)> done) = 0;
};

/// Sends nothing: every call answers NotConfigured (tests, tools without a network).
class NoOutbound final : public Outbound {
public:
    Accepted send_mail(const std::string&, MailMessage) override { return Accepted::NotConfigured; }
    Accepted send_http(const std::string&, HttpCall, std::function<void(HttpAnswer)>) override {
        return Accepted::NotConfigured;
    }
};

}  // namespace blynk::hub
