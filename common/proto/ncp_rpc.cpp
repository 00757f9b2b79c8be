#include "common/proto/ncp_rpc.hpp"

#include "common/proto/ncp_values.hpp"

namespace blynk::proto::ncp {

std::optional<Message> parse_message(std::string_view payload) {
    Reader reader(payload);
    Message m;
    m.opcode = reader.u16();
    switch (m.opcode) {
        case opcode::kInvoke:
            m.kind = Message::Kind::Invoke;
            m.uid = reader.u16();
            m.msg_id = reader.u16();
            break;
        case opcode::kResult:
            m.kind = Message::Kind::Result;
            m.msg_id = reader.u16();
            m.status = reader.u8();
            break;
        case opcode::kOneway:
            m.kind = Message::Kind::Oneway;
            m.uid = reader.u16();
            break;
        default:
            m.kind = Message::Kind::Unknown;
            break;
    }
    if (!reader.ok()) return std::nullopt;
    m.data = payload.substr(payload.size() - reader.remaining());
    return m;
}

void append_invoke(std::string& out, uint16_t uid, uint16_t msg_id, std::string_view args) {
    Writer(out).u16(opcode::kInvoke).u16(uid).u16(msg_id);
    out.append(args);
}

void append_result(std::string& out, uint16_t msg_id, uint8_t status, std::string_view rets) {
    Writer(out).u16(opcode::kResult).u16(msg_id).u8(status);
    out.append(rets);
}

void append_oneway(std::string& out, uint16_t uid, std::string_view args) {
    Writer(out).u16(opcode::kOneway).u16(uid);
    out.append(args);
}

}  // namespace blynk::proto::ncp
