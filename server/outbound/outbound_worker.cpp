#include "server/outbound/outbound_worker.hpp"

#include <algorithm>

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "common/util/ascii.hpp"
#include "common/util/clock.hpp"
#include "server/outbound/mail_text.hpp"

namespace blynk::outbound {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kMaxRunning = 32;  // transfers in flight at once
constexpr long kHttpConnectTimeoutMs = 10000;
constexpr long kHttpTimeoutMs = 30000;

CURLM* multi(void* m) {
    return static_cast<CURLM*>(m);
}

bool has_line_break(std::string_view s) {
    return s.find_first_of("\r\n") != std::string_view::npos;
}

/// The address inside "Name <a@b>", or the text itself.
std::string bare_address(const std::string& from) {
    const auto open = from.rfind('<');
    const auto close = from.rfind('>');
    if (open != std::string::npos && close != std::string::npos && close > open)
        return from.substr(open + 1, close - open - 1);
    return from;
}

bool is_transient(CURLcode code, long smtp_code) {
    if (smtp_code >= 400 && smtp_code < 500) return true;
    if (smtp_code >= 500) return false;
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_SSL_CONNECT_ERROR:
            return true;
        default:
            return false;
    }
}

}  // namespace

struct OutboundWorker::Transfer {
    enum class Kind : uint8_t { Mail, Http } kind = Kind::Http;
    std::string user;
    hub::MailMessage mail;
    std::vector<std::string> recipients;
    uint32_t attempt = 0;
    Clock::time_point not_before{};
    hub::HttpCall call;
    std::function<void(hub::HttpAnswer)> done;

    CURL* easy = nullptr;
    curl_slist* list = nullptr;
    std::string payload;
    size_t sent = 0;
    std::string answer;
    size_t answer_limit = 0;
    bool too_large = false;
    std::string last_reply;  // the SMTP server's last refusal
    char error[CURL_ERROR_SIZE] = {};

    ~Transfer() { release(); }
    void release() {
        if (easy) curl_easy_cleanup(easy);
        easy = nullptr;
        if (list) curl_slist_free_all(list);
        list = nullptr;
    }

    static size_t read(char* buf, size_t size, size_t n, void* self) {
        auto* t = static_cast<Transfer*>(self);
        const size_t len = std::min(size * n, t->payload.size() - t->sent);
        std::copy_n(t->payload.data() + t->sent, len, buf);
        t->sent += len;
        return len;
    }
    static size_t write(char* data, size_t size, size_t n, void* self) {
        auto* t = static_cast<Transfer*>(self);
        if (t->answer.size() + size * n > t->answer_limit) {
            t->too_large = true;
            return 0;  // aborts the transfer
        }
        t->answer.append(data, size * n);
        return size * n;
    }
    static int debug(CURL*, curl_infotype type, char* data, size_t size, void* self) {
        // Only refusals (4xx, 5xx): the closing "221 Bye" would hide them.
        if (type == CURLINFO_HEADER_IN && size > 0 && (data[0] == '4' || data[0] == '5')) {
            auto* t = static_cast<Transfer*>(self);
            t->last_reply.assign(util::trim_blanks(std::string_view(data, size)));
        }
        return 0;
    }
};

OutboundWorker::OutboundWorker(OutboundOptions options)
    : options_(std::move(options)), limits_(options_.webhook_interval) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    multi_ = curl_multi_init();
    if (options_.mail) {
        spdlog::info("mail goes through {} as {}", options_.mail->url(), options_.mail->from);
    } else {
        spdlog::info(
            "mail is off: no mail.properties (see docs/configuration.md, \"E-mail\"); e-mail "
            "from devices and the app is answered as not configured");
    }
    thread_ = std::thread([this] { run(); });
}

OutboundWorker::~OutboundWorker() {
    stop();
    curl_multi_cleanup(multi(multi_));
}

void OutboundWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    if (!thread_.joinable()) return;
    curl_multi_wakeup(multi(multi_));
    thread_.join();
    for (auto& t : running_)
        curl_multi_remove_handle(multi(multi_), t->easy);
    running_.clear();
    retrying_.clear();
    std::lock_guard lock(mutex_);
    queue_.clear();
}

hub::Accepted OutboundWorker::send_mail(const std::string& email, hub::MailMessage mail) {
    if (!options_.mail) return hub::Accepted::NotConfigured;
    auto recipients = parse_recipients(mail.to);
    if (!recipients) return hub::Accepted::Invalid;
    if (!limits_.take_mail(email)) {
        ++refused_;
        return hub::Accepted::RateLimited;
    }
    auto t = std::make_unique<Transfer>();
    t->kind = Transfer::Kind::Mail;
    t->user = email;
    t->mail = std::move(mail);
    t->recipients = std::move(*recipients);
    return enqueue(std::move(t));
}

hub::Accepted OutboundWorker::send_http(const std::string& email, hub::HttpCall call,
                                        std::function<void(hub::HttpAnswer)> done) {
    const auto scheme = util::ascii_lower(std::string_view(call.url).substr(0, 8));
    const bool http = scheme.starts_with("http://") || scheme.starts_with("https://");
    const bool method = call.method == "GET" || call.method == "POST" || call.method == "PUT" ||
                        call.method == "DELETE";
    bool headers = true;
    for (const auto& [name, value] : call.headers)
        headers &= !name.empty() && !has_line_break(name) && !has_line_break(value);
    if (!http || !method || !headers || has_line_break(call.url)) return hub::Accepted::Invalid;
    if (!limits_.take_webhook(email)) {
        ++refused_;
        return hub::Accepted::RateLimited;
    }
    auto t = std::make_unique<Transfer>();
    t->user = email;
    t->call = std::move(call);
    t->done = std::move(done);
    return enqueue(std::move(t));
}

hub::Accepted OutboundWorker::enqueue(std::unique_ptr<Transfer> t) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return hub::Accepted::NotConfigured;
        if (queue_.size() >= options_.queue_limit) {
            ++refused_;
            return hub::Accepted::RateLimited;
        }
        queue_.push_back(std::move(t));
    }
    curl_multi_wakeup(multi(multi_));
    return hub::Accepted::Queued;
}

OutboundStats OutboundWorker::stats() const {
    return {mails_sent_, mails_failed_, mail_retries_, http_calls_, http_failed_, refused_};
}

void OutboundWorker::run() {
    int still_running = 0;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        start_ready(Clock::now());
        curl_multi_perform(multi(multi_), &still_running);
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi(multi_), &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            const CURLcode code = msg->data.result;
            CURL* easy = msg->easy_handle;
            curl_multi_remove_handle(multi(multi_), easy);
            auto it = std::find_if(running_.begin(), running_.end(),
                                   [easy](const auto& t) { return t->easy == easy; });
            if (it == running_.end()) continue;
            std::unique_ptr<Transfer> t = std::move(*it);
            running_.erase(it);
            if (t->kind == Transfer::Kind::Mail) {
                mail_finished(std::move(t), code);
            } else {
                finished(t.get(), code);
            }
        }
        // Wake for the next retry at the latest; enqueue() and the destructor wake it earlier.
        auto wait = std::chrono::milliseconds(1000);
        const auto now = Clock::now();
        for (const auto& t : retrying_) {
            wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::max(t->not_before - now, Clock::duration::zero())));
        }
        curl_multi_poll(multi(multi_), nullptr, 0, static_cast<int>(wait.count()), nullptr);
    }
}

void OutboundWorker::start_ready(Clock::time_point now) {
    std::vector<std::unique_ptr<Transfer>> ready;
    for (auto it = retrying_.begin();
         it != retrying_.end() && running_.size() + ready.size() < kMaxRunning;) {
        if ((*it)->not_before <= now) {
            ready.push_back(std::move(*it));
            it = retrying_.erase(it);
        } else {
            ++it;
        }
    }
    {
        std::lock_guard lock(mutex_);
        while (!queue_.empty() && running_.size() + ready.size() < kMaxRunning) {
            ready.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
    }
    for (auto& t : ready) {
        t->release();
        t->easy = curl_easy_init();
        t->sent = 0;
        t->answer.clear();
        t->last_reply.clear();
        t->error[0] = '\0';
        CURL* e = t->easy;
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
        curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
        if (t->kind == Transfer::Kind::Mail) {
            const MailSettings& m = *options_.mail;
            t->payload = mail_text(t->mail, m.from, util::now_ms() / 1000);
            curl_easy_setopt(e, CURLOPT_URL, m.url().c_str());
            curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
            curl_easy_setopt(e, CURLOPT_USE_SSL,
                             m.tls == MailTls::StartTls ? static_cast<long>(CURLUSESSL_ALL)
                                                        : static_cast<long>(CURLUSESSL_NONE));
            if (m.auth) {
                curl_easy_setopt(e, CURLOPT_USERNAME, m.username.c_str());
                curl_easy_setopt(e, CURLOPT_PASSWORD, m.password.c_str());
            }
            curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, m.verify ? 1L : 0L);
            curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, m.verify ? 2L : 0L);
            if (!m.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, m.ca_file.c_str());
            curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m.connect_timeout_ms));
            curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(m.timeout_ms));
            curl_easy_setopt(e, CURLOPT_MAIL_FROM, ("<" + bare_address(m.from) + ">").c_str());
            for (const auto& r : t->recipients)
                t->list = curl_slist_append(t->list, ("<" + r + ">").c_str());
            curl_easy_setopt(e, CURLOPT_MAIL_RCPT, t->list);
            curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(e, CURLOPT_READFUNCTION, &Transfer::read);
            curl_easy_setopt(e, CURLOPT_READDATA, t.get());
            // The server's answers, for the log when a mail fails.
            curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
            curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, &Transfer::debug);
            curl_easy_setopt(e, CURLOPT_DEBUGDATA, t.get());
        } else {
            const hub::HttpCall& c = t->call;
            t->answer_limit = options_.http_answer_limit;
            curl_easy_setopt(e, CURLOPT_URL, c.url.c_str());
            curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, c.method.c_str());
            if (c.method != "GET" && (c.method == "POST" || !c.body.empty())) {
                curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(c.body.size()));
                curl_easy_setopt(e, CURLOPT_POSTFIELDS, c.body.data());
            }
            for (const auto& [name, value] : c.headers)
                t->list = curl_slist_append(t->list, (name + ": " + value).c_str());
            curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->list);
            curl_easy_setopt(e, CURLOPT_USERAGENT, "blynkd/" BLYNKD_VERSION);
            curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::write);
            curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
            curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, kHttpConnectTimeoutMs);
            curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, kHttpTimeoutMs);
        }
        curl_multi_add_handle(multi(multi_), e);
        running_.push_back(std::move(t));
    }
}

void OutboundWorker::finished(Transfer* t, int curl_code) {
    hub::HttpAnswer answer;
    const auto code = static_cast<CURLcode>(curl_code);
    if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        answer.status = static_cast<int>(status);
        answer.body = std::move(t->answer);
    } else {
        answer.error = t->too_large ? "the answer is larger than " +
                                          std::to_string(t->answer_limit / 1024) + " KB"
                                    : (t->error[0] ? t->error : curl_easy_strerror(code));
    }
    ++http_calls_;
    if (!answer.error.empty() || answer.status >= 400) {
        ++http_failed_;
        if (auto held = http_failure_log_.admit()) {
            spdlog::warn(
                "HTTP {} {} for {} failed: {}{}", t->call.method, t->call.url, t->user,
                answer.error.empty() ? "status " + std::to_string(answer.status) : answer.error,
                *held ? fmt::format(" ({} more failures not logged)", *held) : "");
        }
    }
    if (t->done) t->done(std::move(answer));
}

void OutboundWorker::mail_finished(std::unique_ptr<Transfer> t, int curl_code) {
    const auto code = static_cast<CURLcode>(curl_code);
    if (code == CURLE_OK) {
        ++mails_sent_;
        spdlog::info("mail for {} sent to {}", t->user, t->mail.to);
        return;
    }
    long smtp_code = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &smtp_code);
    const std::string why = std::string(t->error[0] ? t->error : curl_easy_strerror(code)) +
                            (t->last_reply.empty() ? "" : "; the server said: " + t->last_reply);
    const MailSettings& m = *options_.mail;
    if (is_transient(code, smtp_code) && t->attempt < m.retry_attempts) {
        const auto delay =
            std::chrono::milliseconds(m.retry_delay_ms) * (1LL << std::min(t->attempt, 16u));
        ++t->attempt;
        ++mail_retries_;
        spdlog::debug("mail for {} to {}: {}; try {} in {} ms", t->user, t->mail.to, why,
                      t->attempt + 1, delay.count());
        t->not_before = Clock::now() + delay;
        t->release();
        retrying_.push_back(std::move(t));
        return;
    }
    ++mails_failed_;
    spdlog::error("mail for {} to {} not sent after {} tries: {}", t->user, t->mail.to,
                  t->attempt + 1, why);
}

}  // namespace blynk::outbound
