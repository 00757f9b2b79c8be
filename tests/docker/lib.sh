# shellcheck shell=bash
# Shared by tests/docker/*.sh: podman as it works on these machines, and small waits.
# podman runs as root with runc and cgroupfs (crun fails on some cgroup layouts) and explicit
# ulimits at or below the shell's hard limits (podman's defaults are refused where they are
# higher; here even nproc=65536 below a hard limit of 96367 was refused, 4096 is enough).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
at_most() { if [ "$1" = unlimited ] || [ "$1" -gt "$2" ]; then echo "$2"; else echo "$1"; fi; }
nofile=$(at_most "$(ulimit -Hn)" 65536) nproc=$(at_most "$(ulimit -Hu)" 4096)
# shellcheck disable=SC2034 # used by the scripts that source this file
limits=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")

# Without a running systemd podman cannot schedule the periodic health checks and says so on every
# run and rm; `podman healthcheck run` still works, so those lines are dropped.
pm() {
    podman --runtime runc --cgroup-manager=cgroupfs "$@" 2> >(grep -v 'systemd connection' >&2)
}

step() { printf '\n== %s (%ds)\n' "$*" "$SECONDS"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# wait_for TIMEOUT_S COMMAND...: runs COMMAND every half second until it succeeds.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.5
    done
}

board() { node "$root/tests/docker/board.js" "$@"; }
