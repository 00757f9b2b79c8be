#!/bin/sh
# Container entry point. `docker run IMAGE` starts the server; `docker run IMAGE user add EMAIL`
# and `docker run IMAGE device add EMAIL` run the provisioning commands on the same /data volume.
#
# Configuration, later wins: built-in defaults < /etc/blynkd/server.properties (mount your own
# over it) < BLYNKD_* environment variables < the arguments after IMAGE. An environment variable
# names a key in capitals with "_" for ".": BLYNKD_HTTP_PORT=8081 is --set http.port=8081.
set -eu

# BLYNKD_DATA_DIR and BLYNKD_ALLOW_TMP_DATA are the server's own variables, not keys.
for name in $(env | sed -n 's/^BLYNKD_\([A-Z0-9_]*\)=.*/\1/p'); do
    case "$name" in DATA_DIR | ALLOW_TMP_DATA) continue ;; esac
    key=$(printf '%s' "$name" | tr 'A-Z_' 'a-z.')
    set -- --set "$key=$(printenv "BLYNKD_$name")" "$@"
done

exec blynkd --config /etc/blynkd/server.properties --data-dir /data "$@"
