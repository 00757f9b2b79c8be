#!/usr/bin/env bash
# make deb-test: installs the amd64 package in a fresh container of the local debian:bookworm-slim
# (scripts/make-base-image.sh), runs blynkd as its unit does (user blynkd, the unit's ExecStart),
# logs a board in, checks the data folder's modes and that root is refused, removes the package
# (data, user and edited conffile stay), installs it again (the board's value is still there), and
# purges it (data, user and configuration gone).
# Usage: tests/docker/deb-test.sh build/blynkd_<version>_amd64.deb   (about 1 min)
set -euo pipefail
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/lib.sh"
deb=$(realpath "$1")
container=blynkd-deb-test
# Ports of their own so the test does not meet a server on 8080; set the way an admin would, in the
# conffile, which also shows ExecStart reads it.
plain_port=18480 tls_port=18443

cleanup() { pm rm -f -t 0 "$container" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

"$root/scripts/make-base-image.sh"
in_c() { pm exec "$container" "$@"; }

step "fresh container, apt install ./$(basename "$deb")"
pm run -d --name "$container" --network=host "${limits[@]}" \
    docker.io/library/debian:bookworm-slim sleep infinity >/dev/null
pm cp "$deb" "$container:/tmp/"
in_c sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends /tmp/$(basename "$deb") >/dev/null"
in_c getent passwd blynkd | grep -q ':/var/lib/blynkd:' || fail "no system user blynkd"
[ "$(in_c stat -c %U /var/lib/blynkd)" = blynkd ] || fail "/var/lib/blynkd is not blynkd's"
in_c dpkg-query -W -f='${Conffiles}' blynkd | grep -q /etc/blynkd/server.properties ||
    fail "server.properties is not a conffile"
in_c sed -i -e "s/^http.port=.*/http.port=$plain_port/" -e "s/^https.port=.*/https.port=$tls_port/" \
    /etc/blynkd/server.properties
exec_start=$(in_c sed -n 's/^ExecStart=//p' /lib/systemd/system/blynkd.service)
[[ $exec_start == /usr/bin/blynkd* ]] || fail "ExecStart is '$exec_start'"
unit_user=$(in_c sed -n 's/^User=//p' /lib/systemd/system/blynkd.service)
[ "$unit_user" = blynkd ] || fail "the unit's User= is '$unit_user'"

start_server() {  # as systemd would: the unit's user, its ExecStart, no login session
    in_c sh -c "echo \$\$ > /run/blynkd.pid; exec setpriv --reuid=blynkd --regid=blynkd \
        --init-groups $exec_start > /tmp/blynkd.log 2>&1" &
    wait_for 30 in_c grep -q "listening on .*:$tls_port" /tmp/blynkd.log ||
        { in_c cat /tmp/blynkd.log; fail "blynkd did not start: $exec_start"; }
}
stop_server() {
    in_c sh -c 'kill -TERM "$(cat /run/blynkd.pid)"'
    wait  # the podman exec that ran the server
}

step "provision as user blynkd, start: $exec_start"
as_blynkd=(setpriv --reuid=blynkd --regid=blynkd --init-groups)
in_c "${as_blynkd[@]}" blynkd user add deb@example.com --password 'deb test' \
    --data-dir /var/lib/blynkd >/dev/null
token=$(in_c "${as_blynkd[@]}" blynkd device add deb@example.com --name "Deb board" \
    --data-dir /var/lib/blynkd)
start_server
board write "$plain_port" "$token" "from the package"
board rest "$tls_port" "$token" "from the package"
modes=$(in_c stat -c '%a %n' /var/lib/blynkd/blynkd.db /var/lib/blynkd/tls /var/lib/blynkd/tls/key.pem)
[ "$modes" = $'600 /var/lib/blynkd/blynkd.db\n700 /var/lib/blynkd/tls\n600 /var/lib/blynkd/tls/key.pem' ] ||
    fail "files in /var/lib/blynkd are open to others: $modes"
stop_server

step "as root: the server refuses, commands refuse blynkd's data folder"
out=$(in_c blynkd --config /etc/blynkd/server.properties --data-dir /root/blynkd 2>&1) &&
    fail "the server started as root"
[[ $out == *"refusing to run the server as root"*"--allow-root" ]] || fail "as root: $out"
out=$(in_c blynkd user list --data-dir /var/lib/blynkd 2>&1) && fail "user list ran as root: $out"
[[ $out == *"which belongs to user blynkd"*"sudo -u blynkd blynkd"* ]] || fail "as root: $out"

step "apt remove: data, user and the edited conffile stay"
in_c sh -c 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq blynkd >/dev/null'
in_c test ! -e /usr/bin/blynkd || fail "binary still there after remove"
in_c sh -c 'ls /var/lib/blynkd/*' >/dev/null || fail "remove deleted the data"
in_c getent passwd blynkd >/dev/null || fail "remove deleted the user"
in_c grep -q "^http.port=$plain_port" /etc/blynkd/server.properties || fail "remove lost the conffile"

step "install again: the board's value is still there"
in_c sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/$(basename "$deb") >/dev/null"
start_server
board expect "$plain_port" "$token" "from the package"
stop_server

step "apt purge: data, user and configuration gone"
in_c sh -c 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq blynkd >/dev/null'
in_c test ! -e /var/lib/blynkd || fail "purge left /var/lib/blynkd"
in_c test ! -e /etc/blynkd || fail "purge left /etc/blynkd"
! in_c getent passwd blynkd >/dev/null || fail "purge left the user"
! in_c getent group blynkd >/dev/null || fail "purge left the group"

step "deb-test passed"
