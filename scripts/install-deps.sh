#!/usr/bin/env bash
# Installs the Debian (and, for tests, npm) packages blynkd needs, only when something is missing.
# Usage: scripts/install-deps.sh build|test|docker|deb|fuzz
#        scripts/install-deps.sh cross arm64|armhf   (cross toolchain, the libraries for ARCH, qemu)
set -euo pipefail
what=${1:-build}
# libcurl (OpenSSL flavour): the outbound worker's SMTP and HTTP(S) client (mail, webhooks);
# libpq: the PostgreSQL client for storage=postgresql.
build_pkgs=(g++ cmake make pkg-config libboost1.81-dev libssl-dev libsqlite3-dev libspdlog-dev
            nlohmann-json3-dev zlib1g-dev libcurl4-openssl-dev libpq-dev tzdata)
# chromium and a font for the web console's browser tests (tests/browser); faketime for the
# wall-clock jump test (tests/integration/fault_clock_test.cpp); aiosmtpd, the SMTP server the mail
# tests run (tests/integration/mail_test.cpp); postgresql and redis-server, the servers the
# cluster and storage tests start themselves in a temp folder on their own ports (tests/support/
# postgres_server.*, redis_server.*; the services Debian may start on install are not used).
test_pkgs=(libgtest-dev libgmock-dev nodejs npm curl openssl chromium fonts-liberation faketime
           python3-aiosmtpd postgresql redis-server)
# make docker-test / deb-test: podman with runc (crun fails on some cgroup layouts) and slirp4netns
# (published ports), the base image bootstrap, node for the real client; make deb: dpkg-shlibdeps
# and the man page.
docker_pkgs=(podman runc slirp4netns mmdebstrap nodejs npm)
deb_pkgs=(dpkg-dev go-md2man)
# make fuzz: clang and its runtime libraries (libFuzzer, ASan, UBSan).
fuzz_pkgs=(clang libclang-rt-dev)
pkgs=("${build_pkgs[@]}")
npm_dirs=()
case "$what" in
    test) pkgs+=("${test_pkgs[@]}"); npm_dirs=(tests/clients tests/browser web) ;;
    docker) pkgs=("${docker_pkgs[@]}"); npm_dirs=(tests/clients) ;;
    deb) pkgs+=("${deb_pkgs[@]}") ;;
    fuzz) pkgs+=("${fuzz_pkgs[@]}") ;;
    build|cross) ;;
    *) echo "usage: scripts/install-deps.sh build|test|docker|deb|fuzz|cross ARCH" >&2; exit 2 ;;
esac

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Installs those of the given packages that are not installed yet.
install_missing() {
    local missing=() p
    for p in "$@"; do
        # node/npm may come from outside Debian (nodesource, nvm): a working binary is enough.
        case "$p" in nodejs|npm) command -v "${p/nodejs/node}" >/dev/null 2>&1 && continue ;; esac
        installed "$p" || missing+=("$p")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    echo "install-deps: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

if [ "$what" = cross ]; then
    arch=${2:-}
    case "$arch" in
        arm64|armhf) ;;
        *) echo "usage: scripts/install-deps.sh cross arm64|armhf" >&2; exit 2 ;;
    esac
    # The host's tools (cmake, the header-only libraries), the cross compiler and the emulator the
    # tests run under.
    install_missing "${build_pkgs[@]}" "crossbuild-essential-$arch" qemu-user-static
    dpkg --print-foreign-architectures | grep -qx "$arch" || $sudo dpkg --add-architecture "$arch"
    # The libraries to link, for ARCH: every -dev package of the build and test lists, except the
    # header-only ones (Architecture: all), whose host copy serves every architecture.
    target_pkgs=()
    for p in "${build_pkgs[@]}" "${test_pkgs[@]}"; do
        case "$p" in *-dev) ;; *) continue ;; esac
        [ "$(dpkg-query -W -f='${Architecture}' "$p" 2>/dev/null)" = all ] && continue
        target_pkgs+=("$p:$arch")
    done
    install_missing "${target_pkgs[@]}"
    exit 0
fi

install_missing "${pkgs[@]}"

if [ ${#npm_dirs[@]} -gt 0 ]; then
    root="$(cd "$(dirname "$0")/.." && pwd)"
    # The real-client tests, the browser tests and the console's type check and lint, each
    # pinned by its own package-lock.json.
    for sub in "${npm_dirs[@]}"; do
        dir="$root/$sub"
        if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
            echo "install-deps: npm ci in $sub"
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
            touch "$dir/node_modules"
        fi
    done
fi
