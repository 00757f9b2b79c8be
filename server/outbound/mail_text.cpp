#include "server/outbound/mail_text.hpp"

#include <ctime>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/util/ascii.hpp"
#include "common/util/email.hpp"

namespace blynk::outbound {
namespace {

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

bool is_ascii_printable(std::string_view text) {
    for (unsigned char c : text)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

/// A header value: as is when plain ASCII, else one RFC 2047 encoded word per 45 input bytes
/// (kept whole on UTF-8 sequence boundaries). Line breaks never reach the header.
std::string header_value(std::string_view text) {
    std::string flat;
    for (char c : text)
        flat.push_back(c == '\r' || c == '\n' ? ' ' : c);
    if (is_ascii_printable(flat)) return flat;
    std::string out;
    size_t i = 0;
    while (i < flat.size()) {
        size_t end = std::min(flat.size(), i + 45);
        while (end < flat.size() && (static_cast<unsigned char>(flat[end]) & 0xC0) == 0x80)
            --end;  // not inside a UTF-8 sequence
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(std::string_view(flat).substr(i, end - i)) + "?=";
        i = end;
    }
    return out;
}

std::string rfc5322_date(int64_t time_s) {
    const std::time_t t = static_cast<std::time_t>(time_s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

std::string message_id(std::string_view from) {
    unsigned char random[12];
    RAND_bytes(random, sizeof random);
    std::string id;
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char b : random) {
        id.push_back(kHex[b >> 4]);
        id.push_back(kHex[b & 15]);
    }
    const auto at = from.find('@');
    return "<" + id + (at == std::string_view::npos ? "@blynkd" : std::string(from.substr(at))) +
           ">";
}

}  // namespace

std::optional<std::vector<std::string>> parse_recipients(std::string_view to) {
    std::vector<std::string> out;
    while (!to.empty()) {
        const auto comma = to.find(',');
        const auto one = util::trim_blanks(to.substr(0, comma));
        if (!util::plausible_email(one)) return std::nullopt;
        out.emplace_back(one);
        to = comma == std::string_view::npos ? std::string_view() : to.substr(comma + 1);
    }
    if (out.empty()) return std::nullopt;
    return out;
}

std::string mail_text(const hub::MailMessage& mail, std::string_view from, int64_t time_s) {
    std::string to;
    for (const auto& r : parse_recipients(mail.to).value_or(std::vector<std::string>{}))
        to += (to.empty() ? "" : ", ") + r;
    std::string text;
    text += "Date: " + rfc5322_date(time_s) + "\r\n";
    text += "From: " + std::string(from) + "\r\n";
    text += "To: " + to + "\r\n";
    text += "Subject: " + header_value(mail.subject) + "\r\n";
    text += "Message-ID: " + message_id(from) + "\r\n";
    text += "MIME-Version: 1.0\r\n";
    text += std::string("Content-Type: ") + (mail.html ? "text/html" : "text/plain") +
            "; charset=UTF-8\r\n";
    text += "Content-Transfer-Encoding: base64\r\n\r\n";
    const std::string body = base64(mail.body);
    for (size_t i = 0; i < body.size(); i += 76)
        text += body.substr(i, 76) + "\r\n";
    return text;
}

}  // namespace blynk::outbound
