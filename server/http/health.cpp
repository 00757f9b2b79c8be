#include "server/http/health.hpp"

#include <atomic>
#include <memory>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "server/http/console_answers.hpp"

namespace blynk::http {

Health::Health(boost::asio::io_context& io, StorageCheck check, std::chrono::milliseconds timeout)
    : io_(io), check_(std::move(check)), timeout_(timeout) {}

void Health::handle(std::string_view method, std::string_view path,
                    std::function<void(ApiResponse)> done) {
    if (method != "GET" && method != "HEAD") {
        ApiResponse r = console_error(405, "Method not allowed.");
        r.headers.emplace_back("Allow", "GET, HEAD");
        return done(std::move(r));
    }
    if (path == "/health/live") return done(console_json(200, {{"status", "ok"}}));
    ready(std::move(done));
}

void Health::ready(std::function<void(ApiResponse)> done) {
    // Whichever comes first answers: the storage thread's check or the timer.
    struct Pending {
        explicit Pending(boost::asio::io_context& io) : timer(io) {}
        boost::asio::steady_timer timer;
        std::atomic<bool> answered{false};
        std::function<void(ApiResponse)> done;
        void answer(const std::string& error) {
            // The timer is left to expire (it is not thread-safe to cancel from here).
            if (answered.exchange(true)) return;
            if (error.empty()) {
                done(console_json(200, {{"status", "ok"}, {"storage", "writable"}}));
            } else {
                done(console_json(503, {{"status", "unavailable"}, {"storage", error}}));
            }
        }
    };
    auto pending = std::make_shared<Pending>(io_);
    pending->done = std::move(done);
    pending->timer.expires_after(timeout_);
    pending->timer.async_wait([pending, ms = timeout_.count()](boost::system::error_code ec) {
        if (!ec)
            pending->answer("no answer from the storage thread within " + std::to_string(ms) +
                            " ms");
    });
    check_([pending](std::string error) { pending->answer(error); });
}

}  // namespace blynk::http
