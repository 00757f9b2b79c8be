#include "tests/support/app_client.hpp"

#include "common/proto/codec.hpp"
#include "common/proto/command.hpp"
#include "common/util/password.hpp"
#include "common/util/zlib.hpp"

namespace blynk::test {

uint32_t AppClient::login(const std::string& email, const std::string& password, uint16_t id) {
    send(proto::cmd::kLogin, id,
         body({email, util::app_password_hash(email, password), "android", "2.27.32", "Blynk"}));
    auto reply = read_frame(5s);
    return reply && reply->command == proto::cmd::kResponse ? reply->status : 0;
}

uint32_t AppClient::register_account(const std::string& email, const std::string& password,
                                     uint16_t id) {
    send(proto::cmd::kRegister, id,
         body({email, util::app_password_hash(email, password), "Blynk"}));
    auto reply = read_frame(5s);
    return reply && reply->command == proto::cmd::kResponse ? reply->status : 0;
}

std::optional<AppFrame> AppClient::read_frame(std::chrono::milliseconds timeout) {
    const std::string header = raw_->read_bytes(7, timeout);
    if (header.size() < 7) return std::nullopt;
    auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(header[i])); };
    AppFrame f;
    f.command = static_cast<uint8_t>(byte(0));
    f.id = static_cast<uint16_t>(byte(1) << 8 | byte(2));
    const uint32_t length = byte(3) << 24 | byte(4) << 16 | byte(5) << 8 | byte(6);
    if (f.command == proto::cmd::kResponse) {
        f.status = length;
        return f;
    }
    f.body = raw_->read_bytes(length, timeout);
    if (f.body.size() != length) return std::nullopt;
    return f;
}

std::string AppClient::request(uint8_t command, uint16_t id, std::string_view request_body) {
    send(command, id, request_body);
    auto reply = read_frame();
    if (!reply) {
        ADD_FAILURE() << proto::command_name(command) << ": no reply";
        return {};
    }
    if (reply->command != command || reply->id != id) {
        ADD_FAILURE() << proto::command_name(command) << " id " << id << ": got "
                      << proto::command_name(reply->command) << " id " << reply->id << " status "
                      << reply->status << " body " << hex(reply->body);
        return {};
    }
    if (command == proto::cmd::kLoadProfileGzipped) {
        auto inflated = util::zlib_decompress(reply->body, 64 << 20);
        if (!inflated) ADD_FAILURE() << "LOAD_PROFILE_GZIPPED: the body is not zlib";
        return inflated.value_or(std::string());
    }
    return reply->body;
}

}  // namespace blynk::test
