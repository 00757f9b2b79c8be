"""An SMTP server for the mail tests (Debian's python3-aiosmtpd), on 127.0.0.1 only.

usage: smtp_server.py OUT_DIR CERT KEY [--implicit] [--fail-first N]

STARTTLS is required before AUTH (PLAIN or LOGIN, user "blynkd", password "s3cret"); with
--implicit the listener speaks TLS from the first byte instead. The first N RCPT commands are
answered "451 4.3.0 Try again later". Each accepted mail is written to OUT_DIR/mail-<n>.json
(sender, recipients, the message as received); "ready <port>" is printed once listening.
"""
import asyncio
import json
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

USER, PASSWORD = b"blynkd", b"s3cret"


class Handler:
    def __init__(self, out_dir, fail_first):
        self.out_dir = out_dir
        self.fail_left = fail_first
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.fail_left > 0:
            self.fail_left -= 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.out_dir, "mail-%d.json" % self.count)
        with open(path + ".tmp", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "tls": session.ssl is not None,
                       "message": envelope.content.decode("utf-8", "replace")}, f)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER and auth_data.password == PASSWORD
    return AuthResult(success=ok)



def main():
    out_dir, cert, key = sys.argv[1:4]
    implicit = "--implicit" in sys.argv
    fail_first = int(sys.argv[sys.argv.index("--fail-first") + 1]) if "--fail-first" in sys.argv else 0
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Handler(out_dir, fail_first)
    common = dict(hostname="127.0.0.1", port=port, authenticator=authenticate,
                  auth_require_tls=True)
    if implicit:
        controller = Controller(handler, ssl_context=context, **common)
    else:
        controller = Controller(handler, tls_context=context, require_starttls=True, **common)
    controller.start()
    print("ready %d" % port, flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
