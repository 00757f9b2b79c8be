"""An HTTP server for the webhook tests, on 127.0.0.1 only.

usage: http_echo_server.py OUT_DIR [--answer-size N]

Every request is written to OUT_DIR/request-<n>.json (method, path, headers, body) and answered
200 with the body "echo:<path>", or with N bytes of "x" when --answer-size is given; "ready <port>"
is printed once listening.
"""
import http.server
import json
import os
import sys

OUT_DIR = sys.argv[1]
ANSWER_SIZE = int(sys.argv[sys.argv.index("--answer-size") + 1]) if "--answer-size" in sys.argv else 0
count = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def handle_any(self):
        global count
        count += 1
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        path = os.path.join(OUT_DIR, "request-%d.json" % count)
        with open(path + ".tmp", "w") as f:
            json.dump({"method": self.command, "path": self.path,
                       "headers": {k: v for k, v in self.headers.items()}, "body": body}, f)
        os.rename(path + ".tmp", path)
        answer = (b"x" * ANSWER_SIZE) if ANSWER_SIZE else ("echo:" + self.path).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = handle_any

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print("ready %d" % server.server_address[1], flush=True)
server.serve_forever()
