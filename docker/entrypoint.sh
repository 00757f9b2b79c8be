#!/bin/sh
# Container entry point. `docker run IMAGE` starts the server; `docker run IMAGE user add EMAIL`
# and `docker run IMAGE device add EMAIL` run the provisioning commands on the same /data volume.
exec blynkd --config /etc/blynkd/server.properties --data-dir /data "$@"
