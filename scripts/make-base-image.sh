#!/usr/bin/env bash
# Makes the Debian base images the Dockerfile starts from, locally, when Docker Hub cannot be
# reached: docker.io/library/debian:bookworm-slim (runtime stage) and :bookworm (build stage),
# each a minbase bootstrap from Debian's archive imported into podman. An image that already
# exists is left alone. Usage: scripts/make-base-image.sh (as root; about 40 s per image)
set -euo pipefail

mirror=${DEBIAN_MIRROR:-http://deb.debian.org}
sources=("deb $mirror/debian bookworm main"
         "deb $mirror/debian bookworm-updates main"
         "deb $mirror/debian-security bookworm-security main")
# The official -slim image leaves out documentation and translations; so does ours.
slim_opts=(--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*'
           --dpkgopt='path-include=/usr/share/doc/*/copyright'
           --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_image() {  # TAG [mmdebstrap options...]
    local tag=$1
    shift
    local image=docker.io/library/debian:$tag
    if podman image exists "$image"; then
        echo "make-base-image: $image exists"
        return
    fi
    echo "make-base-image: bootstrapping $image from $mirror"
    mmdebstrap --quiet --variant=minbase "$@" bookworm "$work/$tag.tar" "${sources[@]}"
    podman import --quiet --change 'CMD ["bash"]' "$work/$tag.tar" "$image" >/dev/null
    rm -f "$work/$tag.tar"
    echo "make-base-image: $image made"
}

make_image bookworm-slim "${slim_opts[@]}"
make_image bookworm
