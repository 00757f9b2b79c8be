#include "server/outbound/outbound_config.hpp"

#include <spdlog/spdlog.h>

namespace blynk::outbound {

OutboundOptions outbound_options(const config::Settings& settings) {
    OutboundOptions o;
    if (!settings.mail_config.empty()) {
        std::vector<std::string> warnings;
        o.mail = load_mail_settings(settings.mail_config, warnings);
        for (const auto& w : warnings)
            spdlog::warn("{}", w);
    }
    o.queue_limit = settings.notifications_queue_limit;
    o.webhook_interval = std::chrono::milliseconds(settings.webhooks_frequency_user_quota_limit);
    o.http_answer_limit = size_t{settings.webhooks_response_size_limit} * 1024;
    return o;
}

std::string public_url(const config::Settings& settings) {
    std::string url = settings.public_url;
    if (url.empty()) {
        url = "https://" +
              (settings.server_host.empty() ? std::string("localhost") : settings.server_host) +
              ":" + std::to_string(settings.https_port);
    }
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

}  // namespace blynk::outbound
