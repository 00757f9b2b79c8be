#pragma once
// The outbound worker's options from the server's settings and mail.properties.

#include <string>

#include "config/settings.hpp"
#include "server/outbound/outbound_worker.hpp"

namespace blynk::outbound {

/// Reads mail.config (when set) and the webhook keys; logs what mail.properties holds that has
/// no effect. Throws config::ConfigError for a bad mail.properties.
OutboundOptions outbound_options(const config::Settings& settings);

/// The base of links in mails: server.public.url without a trailing '/', else
/// https://<server.host or localhost>:<https.port>.
std::string public_url(const config::Settings& settings);

}  // namespace blynk::outbound
