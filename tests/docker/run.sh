#!/usr/bin/env bash
# make docker-test: builds the unchanged Dockerfile with podman on the local Debian base images,
# runs the image as the README says (`-p 8080:8080 -p 9443:9443 -v VOLUME:/data`, nothing else),
# logs a real board (npm blynk-library) in through the published port and reads its value over
# REST on 9443, restarts the container and a new one on the same volume and finds the value and
# the device again, runs the HEALTHCHECK, and checks that BLYNKD_* variables and a mounted
# server.properties are honoured. Removes its containers, volume and image (by name) at the end;
# KEEP_IMAGE=1 keeps the image. Timings on the 2-core test machine: 10-17 min with a cold build cache
# (compiling blynkd; more with the base images still to make), about 15 s with a warm one.
set -euo pipefail
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/lib.sh"
image=localhost/blynkd-docker-test:latest
volume=blynkd-docker-test
container=blynkd-docker-test
props=$(mktemp)
# slirp4netns publishes -p ports without a bridge (podman's bridge needs netavark or CNI set up);
# the build's apt runs on the host network.
run_opts=(--network=slirp4netns "${limits[@]}")

cleanup() {
    pm rm -f -t 0 "$container" "$container-env" "$container-file" >/dev/null 2>&1 || true
    pm volume rm -f "$volume" >/dev/null 2>&1 || true
    [ "${KEEP_IMAGE:-}" = 1 ] || pm rmi -f "$image" >/dev/null 2>&1 || true
    rm -f "$props"
}
trap cleanup EXIT
pm rm -f -t 0 "$container" "$container-env" "$container-file" >/dev/null 2>&1 || true
pm volume rm -f "$volume" >/dev/null 2>&1 || true

step "base images"
"$root/scripts/make-base-image.sh"

step "podman build of the unchanged Dockerfile"
build_start=$SECONDS
# --format docker: the OCI image format has no HEALTHCHECK.
pm build --pull=never --format docker --network=host "${limits[@]}" -t "$image" "$root" | tail -n 3
echo "built in $((SECONDS - build_start)) s"

step "the image: non-root, /data volume, both ports, HEALTHCHECK, no build tools"
config=$(pm image inspect "$image" --format \
    '{{.Config.User}}|{{json .Config.ExposedPorts}}|{{json .Config.Volumes}}|{{json .Config.Healthcheck}}')
echo "$config"
[[ $config == blynkd\|*8080/tcp*9443/tcp*\|*/data*\|*blynkd-healthcheck* ]] || fail "image config: $config"
dev_pkgs=$(pm run --rm "${run_opts[@]}" --entrypoint dpkg-query "$image" -W -f='${Package}\n' |
    grep -E -- '-dev$|^(g\+\+|gcc|cpp)(-[0-9]+)?$|^(cmake|make|binutils)$' || true)
[ -z "$dev_pkgs" ] || fail "build packages in the final image: $dev_pkgs"

step "provision on the volume with the image's own commands"
blynkd_run() { pm run --rm "${run_opts[@]}" -v "$volume:/data" "$image" "$@"; }
blynkd_run user add docker@example.com --password 'docker test' >/dev/null
token=$(blynkd_run device add docker@example.com --name "Docker board")
[[ $token =~ ^[A-Za-z0-9_-]{32}$ ]] || fail "device add printed '$token'"

healthy() {  # NAME: the image's HEALTHCHECK passes; if not, the check's own message says why
    pm healthcheck run "$1" || { pm exec "$1" blynkd-healthcheck || true; fail "$1 is not healthy"; }
}
started() { pm logs "$1" 2>&1 | grep -q "listening on .*:$2 (TLS"; }
start_checked() {  # NAME TLS_PORT: waits until the server in container NAME listens
    wait_for 30 started "$1" "$2" || { pm logs "$1"; fail "$1 did not start"; }
}

step "docker run -p 8080:8080 -p 9443:9443 -v $volume:/data IMAGE"
pm run -d --name "$container" "${run_opts[@]}" -p 8080:8080 -p 9443:9443 -v "$volume:/data" \
    "$image" >/dev/null
start_checked "$container" 9443
[ "$(pm exec "$container" id -u)" != 0 ] || fail "the server runs as root"
board write 8080 "$token" "hello from docker"
board rest 9443 "$token" "hello from docker"

step "HEALTHCHECK"
healthy "$container"

step "stop and start again: the value is still there"
pm stop -t 30 "$container" >/dev/null
pm logs --since 5s "$container" 2>&1 | tail -n 2
pm start "$container" >/dev/null
wait_for 30 sh -c "[ \$(podman logs $container 2>&1 | grep -c 'listening on .*:9443 (TLS') -ge 2 ]" ||
    fail "no second start"
board expect 8080 "$token" "hello from docker"

step "a new container on the same volume: the device is still there"
pm rm -f -t 30 "$container" >/dev/null
blynkd_run device list | grep "Docker board" || fail "device gone"
pm run -d --name "$container" "${run_opts[@]}" -p 8080:8080 -p 9443:9443 -v "$volume:/data" \
    "$image" >/dev/null
start_checked "$container" 9443
board expect 8080 "$token" "hello from docker"
pm rm -f -t 30 "$container" >/dev/null

step "-e BLYNKD_HTTP_PORT=18081 -e BLYNKD_HTTPS_PORT=18444"
pm run -d --name "$container-env" "${run_opts[@]}" -p 18081:18081 -p 18444:18444 \
    -v "$volume:/data" -e BLYNKD_HTTP_PORT=18081 -e BLYNKD_HTTPS_PORT=18444 "$image" >/dev/null
start_checked "$container-env" 18444
board expect 18081 "$token" "hello from docker"
healthy "$container-env"
pm rm -f -t 30 "$container-env" >/dev/null

step "-v server.properties:/etc/blynkd/server.properties"
printf '# a user-supplied file\nhttp.port: 18082\nhttps.port=18445\nlog.level=debug\n' > "$props"
chmod 0644 "$props"
pm run -d --name "$container-file" "${run_opts[@]}" -p 18082:18082 -p 18445:18445 \
    -v "$volume:/data" -v "$props:/etc/blynkd/server.properties:ro" "$image" >/dev/null
start_checked "$container-file" 18445
board expect 18082 "$token" "hello from docker"
healthy "$container-file"
pm rm -f -t 30 "$container-file" >/dev/null

step "docker-test passed"
