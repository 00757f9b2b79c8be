#!/usr/bin/env python3
"""Writes the hand-made seeds of tests/fuzz/corpus/<target>/seed-* (real frames and requests, as in
the tests and docs/protocol.md). Run it again after changing a seed here; inputs the fuzzer found
(and regression inputs, named regression-*) sit next to them and are left alone."""
import os
import struct
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
TOKEN = b"2d1d6ff2fa4a4e3bb8a4c1a5d5e9e1b2"


def hw(cmd, mid, body=b""):
    """A hardware frame: command u8, id u16, length u16."""
    return struct.pack(">BHH", cmd, mid, len(body)) + body


def hw_response(mid, status):
    return struct.pack(">BHH", 0, mid, status)


def app(cmd, mid, body=b""):
    """An app frame: command u8, id u16, length u32."""
    return struct.pack(">BHI", cmd, mid, len(body)) + body


def app_response(mid, status):
    return struct.pack(">BHI", 0, mid, status)


def web_app(cmd, mid, body=b""):
    """A /dashws message: command u8, id u16, the body."""
    return struct.pack(">BH", cmd, mid) + body


def nul(*fields):
    return b"\0".join(f if isinstance(f, bytes) else f.encode() for f in fields)


def ws_frame(payload, opcode=2, fin=True, mask=b"\x37\xfa\x21\x3d"):
    """A client WebSocket frame (masked, as a client must send)."""
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        head = struct.pack(">BB", first, 0x80 | n)
    elif n < 65536:
        head = struct.pack(">BBH", first, 0x80 | 126, n)
    else:
        head = struct.pack(">BBQ", first, 0x80 | 127, n)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + mask + masked


HW_SESSION = [
    hw(29, 1, TOKEN),
    hw(17, 2, nul("ver", "1.3.2", "h-beat", "10", "buff-in", "1024", "dev", "ESP32", "con", "WiFi")),
    hw(6, 3),
    hw(20, 4, nul("vw", "5", "23.5")),
    hw(20, 5, nul("dw", "13", "1")),
    hw(20, 6, nul("vr", "1")),
    hw(16, 7, nul("vr", "1", "2")),
    hw(19, 8, nul("1", "color", "#FF0000")),
    hw(15, 9, nul("1", "i", TOKEN)),
    hw(15, 10, nul("1", "vw", "2", "on")),
    hw(14, 11, b"Hello from the board"),
    hw(64, 12, nul("alarm", "temperature high")),
    hw(55, 13, b"debug line"),
    hw_response(14, 200),
]


def hardware_frames():
    yield "login", hw(29, 1, TOKEN)
    yield "login-2", hw(2, 1, TOKEN)
    yield "session", b"".join(HW_SESSION)
    yield "write-multi", hw(20, 1, nul("vw", "1", "a", "b", "c"))
    yield "response", hw_response(7, 9)
    yield "partial", b"".join(HW_SESSION)[:23]
    yield "too-large", struct.pack(">BHH", 20, 1, 65535) + b"vw\x001\x00"
    yield "invalid-command", hw(120, 1, b"x")
    yield "pings", b"".join(hw(6, i) for i in range(1, 40))


APP_LOGIN = app(2, 1, nul("user@example.com", "bXlwYXNzd29yZGhhc2g=", "Android", "2.27.34", "Blynk"))


def app_frames():
    yield "login", APP_LOGIN
    yield "register", app(1, 1, nul("new@example.com", "aGFzaA==", "Blynk"))
    yield "session", b"".join([
        APP_LOGIN,
        app(24, 2),
        app(7, 3, b"1"),
        app(20, 4, nul("1-0", "vw", "5", "1")),
        app(25, 5, b"1"),
        app(45, 6, b"1"),
        app(6, 7),
        app_response(8, 200),
    ])
    yield "create-dash", app(21, 2, b'{"id":1,"name":"Home","boardType":"ESP32"}')
    yield "share-login", app(32, 1, nul("user@example.com", "sharetoken", "Android", "2.27.34"))
    yield "web-app-login", web_app(2, 1, nul("user@example.com", "aGFzaA==", "web"))
    yield "web-app-response", struct.pack(">BHI", 0, 3, 200)
    yield "web-app-hardware", web_app(20, 9, nul("1-0", "vw", "1", "255"))


def detect():
    yield "tls", bytes.fromhex("16030100f5010000f10303") + bytes(16)
    yield "http-get", b"GET / HTTP/1.1\r\n"
    yield "http-options", b"OPTIONS /x HTTP/1.1\r\n"
    yield "hardware-login", hw(29, 1, TOKEN)
    yield "hardware-login-2", hw(2, 1, TOKEN)
    yield "app-login", APP_LOGIN
    yield "app-register", app(1, 1, b"a@b.c\0x")
    yield "get-server", app(40, 1, b"a@b.c\0Blynk")
    yield "garbage", b"SSH-2.0-OpenSSH_9.2\r\n"


def http(method, target, headers=(), body=b""):
    lines = [f"{method} {target} HTTP/1.1", "Host: localhost:8080"]
    lines += list(headers)
    if body or method in ("PUT", "POST"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


JSON = ["Content-Type: application/json"]
T = TOKEN.decode()


def http_request():
    yield "get-pin", http("GET", f"/{T}/get/V1")
    yield "update-query", http("GET", f"/{T}/update/V1?value=1&value=2")
    yield "update-property", http("GET", f"/{T}/update/V3?color=%23FF0000&label=Hi+there")
    yield "update-json", http("PUT", f"/{T}/update/V1", JSON, b'["1","2.5",3,true]')
    yield "update-pin-json", http("PUT", f"/{T}/pin/D13", JSON, b'["1"]')
    yield "extra-pin", http("PUT", f"/{T}/extra/pin/V2", JSON,
                            b'[{"timestamp":1700000000000,"value":"10"},{"value":11}]')
    yield "notify", http("POST", f"/{T}/notify", JSON, b'{"body":"Door opened"}')
    yield "email", http("POST", f"/{T}/email", JSON, b'{"to":"a@b.c","subj":"Hi","title":"x"}')
    yield "status", http("GET", f"/{T}/isHardwareConnected") + http("HEAD", f"/{T}/isAppConnected")
    yield "project", http("GET", f"/{T}/project")
    yield "rtc", http("GET", f"/{T}/rtc")
    yield "openapi", http("GET", "/api/openapi.json")
    yield "options", http("OPTIONS", f"/{T}/update/V1", ["Origin: http://example.com"])
    yield "websocket", http("GET", "/websockets", [
        "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13"])
    yield "dashws", http("GET", "/dashws?x=1", [
        "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13", "Cookie: blynkd_session=abc"])
    chunked = (f"PUT /{T}/update/V1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Transfer-Encoding: chunked\r\n\r\n4\r\n[\"1\"\r\n1\r\n]\r\n0\r\n\r\n").encode()
    yield "chunked", chunked
    yield "escapes", http("GET", f"/{T}/update/V1?value=%00%FF%2B+&value=%G1")
    yield "bad-target", http("GET", "/%zz/get/V1")
    yield "http10", f"GET /{T}/get/V1 HTTP/1.0\r\n\r\n".encode()


def properties():
    with open(os.path.join(ROOT, "..", "..", "server.properties.example"), "rb") as f:
        yield "example", f.read()
    yield "syntax", (b"# comment\n! comment\nhttp.port = 8080\nhttps.port: 9443\n"
                     b"log.level debug\nserver.ssl.key.pass = p\\u0041ss\\\n  word\n"
                     b"admin.email=\\t\\n\\r\\f\\=\\:x\n\n   \nhard.socket.idle.timeout=\n")
    yield "bad-escape", b"server.ssl.key.pass=\\u00zz\n"
    yield "bad-value", b"http.port=80a\n"
    yield "crlf", b"http.port=1\r\nlog.level=info\r\n"


def command_line():
    yield "run", b"--data-dir\n./data\n--set\nhttp.port=3333\n--set\nlog.level = debug"
    yield "java", b"-hardPort\n8442\n-dataFolder\n/srv/blynk\n-serverConfig\n/etc/blynk.properties"
    yield "import", b"import-java\n/srv/blynk\n--dry-run\n--overwrite\n--data-dir\n./data"
    yield "user", b"user\nadd\na@example.com\n--password\nsecret\n--\n--version"
    yield "device", b"device\nadd\na@example.com\n--name\nKitchen\n--board\nESP32"
    yield "help", b"--help"
    yield "bad", b"--set\nhttp.prot=80\n--nope"


DASHBOARD = (b'{"id":1,"parentId":-1,"isPreview":false,"name":"Home","createdAt":1700000000000,'
             b'"updatedAt":1700000001000,"widgets":['
             b'{"type":"BUTTON","id":10,"x":0,"y":0,"color":600084223,"width":2,"height":2,'
             b'"tabId":0,"label":"Lamp","isDefaultColor":false,"deviceId":0,"pinType":"DIGITAL",'
             b'"pin":13,"pwmMode":false,"rangeMappingOn":false,"min":0,"max":1,"pushMode":false},'
             b'{"type":"HOLOGRAM","id":11,"deviceId":1,"pins":[{"pin":1,"pinType":"VIRTUAL"},'
             b'{"pin":2,"pinType":"VIRTUAL","color":5}],"sparkle":{"level":3}},'
             b'{"type":"RTC","id":12,"tzName":"Europe/Berlin"},'
             b'{"type":"GAUGE","id":13,"deviceId":0,"pinType":"ANALOG","pin":0,"frequency":1000}],'
             b'"devices":[{"id":0,"name":"Kitchen","boardType":"ESP8266","vendor":"Espressif",'
             b'"token":"should-be-dropped","status":"ONLINE","connectionType":"WI_FI",'
             b'"iconName":"esp8266","isUserIcon":false,"hardwareInfo":{"version":"1"}},'
             b'{"id":1,"name":"Garden","boardType":"ESP32","address":"garden.local"}],'
             b'"theme":"Blynk","keepScreenOn":true,"isAppConnectedOn":true,'
             b'"isNotificationsOff":false,"isShared":true,"isActive":true,'
             b'"sharedToken":"secret","pinsStorage":{"1-0-v5":"7"},"widgetBackgroundOn":false,'
             b'"color":-1,"isDefaultColor":true,"tags":[{"id":100000,"name":"all"}],"newField":[1]}')


def profile_json():
    # The first byte picks the message (tests/fuzz/profile_json.cpp): 0 dashboard, 1 device,
    # 2 widget, 3 project settings, 4 widget property ("name\0value").
    yield "dashboard", b"\x00" + DASHBOARD
    yield "dashboard-minimal", b"\x00" + b'{"id":-3,"widgets":null}'
    yield "device", b"\x01" + b'{"id":2,"name":"Hall","boardType":"Raspberry Pi 3 B","vendor":"x"}'
    yield "device-unicode", b"\x01" + '{"id":3,"name":"K\u00fcche \U0001F600","boardType":"ESP32"}'.encode()
    yield "widget", b"\x02" + (b'{"type":"GAUGE","id":7,"x":0,"y":2,"width":4,"height":2,"deviceId":3,'
                               b'"pinType":"VIRTUAL","pin":5,"frequency":1000,"future":{"a":[1,2.5,null]}}')
    yield "widget-pins", b"\x02" + (b'{"type":"SUPER_CHART","id":8,"pins":[{"pinType":"VIRTUAL","pin":1,'
                                    b'"value":"3"},{"pinType":"DIGITAL","pin":-1}],"value":"x"}')
    yield "settings", b"\x03" + (b'{"name":"New","isShared":true,"theme":"White","keepScreenOn":false,'
                                 b'"color":5,"isDefaultColor":false,"unknown":1}')
    for name, value in [("color", "#FF0000"), ("color", "0x00FF00"), ("onColor", "255"),
                        ("labels", "a\0b\0c"), ("min", "-1.5"), ("isOnPlay", "TRUE"),
                        ("maximumFractionDigits", "2"), ("offLabel", "Off \xff"), ("bogus", "1")]:
        yield f"property-{name}", b"\x04" + name.encode() + b"\0" + value.encode("latin-1")


def websocket():
    # First byte: even = /websockets (hardware), odd = /dashws (web app).
    yield "hardware", b"\x00" + b"".join(ws_frame(f) for f in HW_SESSION)
    yield "hardware-split", b"\x00" + ws_frame(b"".join(HW_SESSION)[:9], fin=False) + \
        ws_frame(b"".join(HW_SESSION)[9:], opcode=0)
    yield "hardware-control", b"\x00" + ws_frame(hw(29, 1, TOKEN)) + ws_frame(b"hi", opcode=9) + \
        ws_frame(b"text", opcode=1) + ws_frame(hw(6, 2)) + ws_frame(b"\x03\xe8", opcode=8)
    yield "dashws", b"\x01" + b"".join(ws_frame(m) for m in [
        web_app(2, 1, nul("user@example.com", "aGFzaA==", "web")),
        web_app(24, 2), web_app(20, 3, nul("1-0", "vw", "1", "255")),
        struct.pack(">BHI", 0, 4, 200)])
    yield "dashws-fragmented", b"\x01" + ws_frame(web_app(6, 1)[:2], fin=False) + \
        ws_frame(web_app(6, 1)[2:], opcode=0)


def ncp_frame(payload):
    """A Blynk.NCP frame: AA, payload and its CRC-8/SMBUS escaped, BB."""
    crc = 0
    for byte in payload:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xff if crc & 0x80 else (crc << 1) & 0xff
    body = b"".join(bytes([0xcc, b ^ 0xff]) if b in (0x11, 0x13, 0xaa, 0xbb, 0xcc) else bytes([b])
                    for b in payload + bytes([crc]))
    return b"\xaa" + body + b"\xbb"


def h(text):
    return bytes.fromhex(text)


# The frames of the shared docs' protocol/ncp.md §3.5 (A: start-up, B: data path, C: escapes).
NCP_STARTUP = [h(f) for f in [
    "aa bc 67 01 01 01 00 4f bb", "aa 12 a5 01 00 00 2c bb",
    "aa bc 67 01 02 02 00 80 84 1e 00 44 bb", "aa 12 a5 02 00 00 01 f9 bb",
    "aa bc 67 01 01 03 00 65 bb",
    "aa bc 67 01 03 08 00 54 4d 50 4c 30 76 46 6b 46 6d 4a 4d 37 00 51 50 6f 77 65 72 00 24 bb",
    "aa 12 a5 08 00 00 01 65 bb", "aa f3 1c cc ee 04 04 a1 bb", "aa f3 1c cc ee 04 05 a6 bb",
    "aa f3 1c 21 04 14 30 bb"]]
NCP_DATA = [h(f) for f in [
    "aa f3 1c 11 03 00 00 01 00 30 42 bb", "aa f3 1c 13 03 04 00 31 00 31 37 72 bb",
    "aa f3 1c 12 04 01 00 01 00 31 9e bb", "aa f3 1c 12 04 02 00 05 00 61 00 62 00 63 ab bb",
    "aa f3 1c 14 03 00 00 63 6f 6c 6f 72 00 07 00 23 46 46 30 30 30 30 7f bb",
    "aa f3 1c 17 03 6f 76 65 72 68 65 61 74 00 54 3d 39 39 00 00 bb",
    "aa bc 67 81 01 01 01 79 bb", "aa 12 a5 01 01 00 39 bb"]]
NCP_ESCAPES = [h("aa 12 a5 17 00 00 05 cc 33 bb"), h("aa 12 a5 03 00 cc ec 83 bb")]


def ncp_frames():
    ping = NCP_STARTUP[0]
    yield "startup", b"".join(NCP_STARTUP)
    yield "data-path", b"".join(NCP_DATA)
    yield "escapes", b"".join(NCP_ESCAPES)
    yield "junk-between", b"\x00\x11\xbb".join(NCP_STARTUP[:4] + NCP_DATA[:2]) + b"\x13\xcc"
    yield "bad-crc", ping[:7] + b"\x4e\xbb" + ping
    yield "empty-frames", h("aa bb aa 00 bb") + ping
    yield "raw-aa-restart", h("aa bc 67 01") + ping + h("aa 12 cc") + ping
    yield "dangling-escape", h("aa bc 67 cc bb") + ping
    yield "oversized", ncp_frame(b"a" * 17) + ncp_frame(b"\xaa" * 1536) + ncp_frame(b"b" * 1537) + ping
    yield "get-time", ncp_frame(h("12 a5 09 00 00") + b"2026-12-07T18:00:00Z\0" +
                                bytes(8) + h("3c 00") + b"CET\0" + h("03 01"))
    yield "unknown-opcode", ncp_frame(h("74 d6 01 02 03")) + ncp_frame(h("bc"))


def automation():
    # The widget's JSON, a NUL, then the value of its pin (tests/fuzz/automation.cpp).
    yield "timer", (b'{"id":50,"type":"TIMER","deviceId":0,"pinType":"VIRTUAL","pin":5,'
                    b'"startTime":3600,"startValue":"1","stopTime":7200,"stopValue":"0",'
                    b'"tzName":"Europe/Berlin"}\0')
    yield "eventor", (b'{"id":60,"type":"EVENTOR","deviceId":0,"rules":['
                      b'{"triggerTime":{"time":600,"days":[1,7],"tzName":"Asia/Kolkata"},"isActive":true,'
                      b'"actions":[{"type":"SETPIN","pin":{"pinType":"VIRTUAL","pin":2},"value":"on"}]},'
                      b'{"triggerPin":{"pinType":"VIRTUAL","pin":1},"condition":{"type":"BETWEEN",'
                      b'"left":1,"right":5},"isActive":true,"actions":[{"type":"NOTIFY","message":"/pin/"},'
                      b'{"type":"MAIL","subject":"s","message":"m"},{"type":"TWIT","message":"x"}]}]}\0')
    yield "time-input", (b'{"id":70,"type":"TIME_INPUT","deviceId":0,"pinType":"VIRTUAL","pin":6}\0'
                         b'25200\x00068400\x00Asia/Tokyo\x001,3\x0032400')
    yield "time-input-overnight", (b'{"id":70,"type":"TIME_INPUT","deviceId":0,"pinType":"VIRTUAL",'
                                   b'"pin":6,"tzName":"Europe/Kiev"}\0' b'79200\x0021600\x00\x007')
    yield "time-input-sun", (b'{"id":70,"type":"TIME_INPUT","pinType":"VIRTUAL","pin":6}\0'
                             b'sr\x00ss\x00../../etc/passwd\x00x')


TARGETS = {
    "hardware_frames": hardware_frames, "app_frames": app_frames, "detect": detect,
    "http_request": http_request, "properties": properties, "command_line": command_line,
    "profile_json": profile_json, "websocket": websocket, "ncp_frames": ncp_frames,
    "automation": automation,
}


def main():
    for target, seeds in TARGETS.items():
        folder = os.path.join(ROOT, "corpus", target)
        os.makedirs(folder, exist_ok=True)
        for name, data in seeds():
            with open(os.path.join(folder, f"seed-{name}"), "wb") as f:
                f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
