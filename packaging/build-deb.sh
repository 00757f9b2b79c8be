#!/usr/bin/env bash
# Packs a built blynkd into blynkd_<version>_<arch>.deb with dpkg-deb: the binary in /usr/bin, the
# documented server.properties as a conffile, the systemd unit, the man page from docs/blynkd.8.md,
# and the maintainer scripts in packaging/deb/. Depends come from dpkg-shlibdeps (for ARCH's own
# libraries, installed as :ARCH for a cross build). Run by `make deb`.
# Usage: packaging/build-deb.sh ARCH BINARY OUT_DIR
set -euo pipefail
arch=$1 binary=$2 out_dir=$3
root="$(cd "$(dirname "$0")/.." && pwd)"
version=$(sed -n 's/^project(blynkd VERSION \([^ )]*\).*/\1/p' "$root/CMakeLists.txt")
[ -n "$version" ] || { echo "build-deb: no version in CMakeLists.txt" >&2; exit 1; }
# DEB_HOST_* for ARCH, read by dpkg-shlibdeps (dpkg-architecture's warning that $CC builds for
# this machine does not matter: nothing is compiled here).
eval "$(dpkg-architecture -a"$arch" -s 2>/dev/null)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkg=$work/pkg
install -d "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/etc/blynkd" "$pkg/lib/systemd/system" \
    "$pkg/usr/share/man/man8" "$pkg/usr/share/doc/blynkd"

install -m 0755 "$binary" "$pkg/usr/bin/blynkd"
"$DEB_HOST_GNU_TYPE-strip" --strip-unneeded --remove-section=.comment "$pkg/usr/bin/blynkd"
install -m 0644 "$root/server.properties.example" "$pkg/etc/blynkd/server.properties"

# The unit is installed as it is; it must match the package's layout: the binary in /usr/bin, the
# packaged configuration, and the static user that owns /var/lib/blynkd (a dynamic user's
# StateDirectory would move the data under /var/lib/private, out of reach of
# `sudo -u blynkd blynkd device add ...`).
unit=$pkg/lib/systemd/system/blynkd.service
install -m 0644 "$root/docker/blynkd.service" "$unit"
grep -q '^User=blynkd$' "$unit" || { echo "build-deb: the unit does not run as blynkd" >&2; exit 1; }
grep -q '^ExecStart=/usr/bin/blynkd --config /etc/blynkd/server.properties ' "$unit" ||
    { echo "build-deb: the unit's ExecStart is not /usr/bin/blynkd --config /etc/blynkd/server.properties" >&2; exit 1; }

go-md2man -in "$root/docs/blynkd.8.md" | gzip -9n > "$pkg/usr/share/man/man8/blynkd.8.gz"
cat > "$pkg/usr/share/doc/blynkd/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: blynkd

Files: *
Copyright: the blynkd developers
License: not stated yet (the blynkd source has no license file)
COPYRIGHT
chmod 0644 "$pkg/usr/share/man/man8/blynkd.8.gz" "$pkg/usr/share/doc/blynkd/copyright"

# dpkg-shlibdeps looks for debian/control in the current folder; it only needs to exist.
mkdir "$work/debian"
touch "$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O pkg/usr/bin/blynkd | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "build-deb: dpkg-shlibdeps found no libraries" >&2; exit 1; }

sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SHLIBS@/$shlibs/" \
    -e "s/@INSTALLED_SIZE@/$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)/" \
    "$root/packaging/deb/control.in" > "$pkg/DEBIAN/control"
install -m 0644 "$root/packaging/deb/conffiles" "$pkg/DEBIAN/conffiles"
install -m 0755 "$root/packaging/deb/postinst" "$root/packaging/deb/prerm" \
    "$root/packaging/deb/postrm" "$pkg/DEBIAN/"
(cd "$pkg" && find usr lib -type f -exec md5sum {} + | sort -k2 > DEBIAN/md5sums)

mkdir -p "$out_dir"
deb=$out_dir/blynkd_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "build-deb: $deb"
dpkg-deb --field "$deb" Package Version Architecture Depends
