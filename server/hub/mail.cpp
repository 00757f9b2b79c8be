#include "server/hub/mail.hpp"

#include <charconv>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/proto/body.hpp"
#include "common/proto/status.hpp"
#include "common/util/ascii.hpp"

namespace blynk::hub::mail {
namespace {

namespace status = proto::status;

/// The Mail widget of a dashboard: its `to` (empty = the device's or the owner's) and whether
/// it sends HTML (contentType TEXT_HTML, the Java default) or text.
struct MailWidget {
    std::string to;
    bool html = true;
};

std::optional<MailWidget> mail_widget(const model::Dashboard& dash) {
    for (const auto& w : dash.widgets) {
        if (w.type != "EMAIL") continue;
        MailWidget m;
        const auto j = nlohmann::json::parse(w.json, nullptr, false);
        if (j.is_object()) {
            if (auto it = j.find("to"); it != j.end() && it->is_string()) m.to = *it;
            if (auto it = j.find("contentType"); it != j.end() && it->is_string())
                m.html = *it != "TEXT_PLAIN";
        }
        return m;
    }
    return std::nullopt;
}

std::optional<int> parse_number(std::string_view text) {
    int v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return v;
}

std::string html_escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

/// {DEVICE_NAME} and {DEVICE_OWNER_EMAIL}, as the Java server replaced them ({VENDOR_EMAIL}
/// becomes empty: there is no vendor here).
std::string placeholders(std::string text, std::string_view device_name, std::string_view owner) {
    util::replace_all(text, "{DEVICE_NAME}", device_name);
    util::replace_all(text, "{DEVICE_OWNER_EMAIL}", owner);
    util::replace_all(text, "{VENDOR_EMAIL}", "");
    return text;
}

uint16_t status_of(Accepted accepted, const std::string& email, std::string_view what) {
    switch (accepted) {
        case Accepted::Queued:
            return status::kOk;
        case Accepted::Invalid:
            return status::kIllegalCommand;
        case Accepted::RateLimited:
            spdlog::info("{} for {} refused: the user's mail limit is reached", what, email);
            return status::kQuotaLimit;
        case Accepted::NotConfigured:
            break;
    }
    spdlog::info("{} for {} not sent: mail is off (no mail.properties)", what, email);
    return status::kNotificationError;
}

}  // namespace

uint16_t from_device(UserState& user, DeviceRef device, std::string_view body) {
    const model::Dashboard* dash = user.dashboard(device.dash_id);
    const DeviceEntry* entry = user.find(device);
    if (!dash || !entry) return status::kNotAllowed;
    const auto widget = mail_widget(*dash);
    if (!widget || !dash->active) return status::kNotAllowed;
    const auto parts = proto::split_all(body);
    if (parts.size() < 2) return status::kIllegalCommand;
    const bool with_to = parts.size() >= 3;
    std::string to = !widget->to.empty() ? widget->to
                     : with_to           ? placeholders(std::string(parts[0]), "", user.email())
                                         : user.email();
    const auto& name = entry->device.name;
    MailMessage mail{
        std::move(to), placeholders(std::string(parts[with_to ? 1 : 0]), name, user.email()),
        placeholders(std::string(parts[with_to ? 2 : 1]), name, user.email()), widget->html};
    return status_of(user.outbound().send_mail(user.email(), std::move(mail)), user.email(),
                     "e-mail from a device");
}

std::string from_rest(UserState& user, DeviceRef device, const std::string& to,
                      const std::string& subject, const std::string& text) {
    const model::Dashboard* dash = user.dashboard(device.dash_id);
    if (!dash || !dash->active) return "Project is not active.";
    if (!mail_widget(*dash)) return "No email widget.";
    const auto accepted = user.outbound().send_mail(user.email(), {to, subject, text, false});
    const auto result = status_of(accepted, user.email(), "REST e-mail");
    if (result == status::kIllegalCommand) return "Invalid mail receiver.";
    if (result == status::kQuotaLimit) return "Notification limit reached.";
    return "";
}

uint16_t device_tokens(UserState& user, std::string_view body) {
    const auto parts = proto::split_all(body);
    const auto dash_id = parts.empty() ? std::nullopt : parse_number(parts[0]);
    const model::Dashboard* dash = dash_id ? user.dashboard(*dash_id) : nullptr;
    if (!dash) return status::kIllegalCommand;
    std::vector<const model::Device*> devices;
    if (parts.size() >= 2) {
        const auto device_id = parse_number(parts[1]);
        const DeviceEntry* entry = device_id ? user.find({*dash_id, *device_id}) : nullptr;
        if (!entry) return status::kIllegalCommand;
        devices.push_back(&entry->device);
    } else {
        for (const auto& [ref, entry] : user.devices())
            if (ref.dash_id == *dash_id) devices.push_back(&entry.device);
    }
    const std::string dash_name = dash->name.empty() ? "New Project" : dash->name;
    auto device_name = [](const model::Device& d) {
        return d.name.empty() ? "New Device" : d.name;
    };
    MailMessage mail;
    mail.to = user.email();
    if (devices.size() == 1) {
        mail.subject =
            "Auth Token for " + dash_name + " project and device " + device_name(*devices[0]);
        mail.body = "Auth Token : " + devices[0]->token + "\n";
    } else {
        mail.subject = "Auth Tokens for " + dash_name + " project and " +
                       std::to_string(devices.size()) + " devices";
        for (const auto* d : devices)
            mail.body += "Auth Token for device '" + device_name(*d) + "' : " + d->token + "\n";
    }
    return status_of(user.outbound().send_mail(user.email(), std::move(mail)), user.email(),
                     "auth token e-mail");
}

uint16_t chart_links(UserState& user, const std::string& dashboard_name,
                     const std::vector<CsvLink>& links) {
    if (links.empty()) return status::kNoData;
    std::string body = "<html><body>";
    for (const auto& link : links)
        body +=
            "<a href=\"" + html_escaped(link.url) + "\">" + html_escaped(link.label) + "</a><br>";
    body += "</body></html>";
    MailMessage mail{user.email(), "History graph data for project " + dashboard_name,
                     std::move(body), true};
    return status_of(user.outbound().send_mail(user.email(), std::move(mail)), user.email(),
                     "chart export e-mail");
}

}  // namespace blynk::hub::mail
