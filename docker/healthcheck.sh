#!/bin/bash
# The image's HEALTHCHECK: GET /health on the plain port answers 200 while the server is live and
# its database writable. Bash's /dev/tcp needs no HTTP client in the image. The port is the one
# the entry point gives the server: BLYNKD_HTTP_PORT, else http.port in the properties file,
# else 8080.
set -euo pipefail

port=${BLYNKD_HTTP_PORT:-$(sed -n 's/^[[:space:]]*http\.port[[:space:]]*[=:[:space:]][[:space:]]*\([0-9]*\).*/\1/p' \
    /etc/blynkd/server.properties 2>/dev/null | tail -n 1)}
port=${port:-8080}

exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /health HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
read -r status_line <&3
case "$status_line" in
    "HTTP/1."?" 200 "*) exit 0 ;;
    *) echo "blynkd-healthcheck: port $port answered: ${status_line%$'\r'}" >&2; exit 1 ;;
esac
